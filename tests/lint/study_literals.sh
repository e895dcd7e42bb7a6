#!/bin/bash
# study_literals.sh - fail on a study literal in the C code or the
# templates (issue 15).
#
# Stage: test (ctest study_literals). The C code and the templates know no
# study: arms, drugs, parameters, visits and day numbers come from
# config/study.json (templates: {{study variables}}, "levels": "visits") or
# the data. This greps pipeline/ (outside pipeline/demo/, which writes the
# demo database) for the demo study's codes as quoted strings (C or SQL
# quotes) and for its day numbers as words, for its subject-characteristic
# codes and model term names as words (distinctive enough to be nothing
# else: they would come back as SQL column names or "|DM|CADM|"-style
# lists, not only as quoted strings), templates/ for the codes, the visit
# names, the day numbers, the SC test codes and the vital signs' baseline
# columns as words anywhere in the JSON (a code in a
# title or footnote is as much a study fact as one in a selector), and
# fails on every hit not in the allow-list tests/lint/study_literals.allow
# (one "file|text|reason" a line: a hit in file whose line holds text is
# allowed, for reason).
# Usage: study_literals.sh SOURCE_DIR
set -u
src=${1:?usage: study_literals.sh SOURCE_DIR}
cd "$src" || exit 2
allow=tests/lint/study_literals.allow
# SC values and the stratum's values are common words (NEW, POSITIVE, ...):
# only quoted. "DM" is also a domain name and is left out; "PM" is not one.
codes='TAC|HC|TACROLIMUS|PREDNISOLONE|METHYLPREDNISOLONE|KL6|CK|VCPP|FVCPP|DLCOPP|MMT8|ALT|AST|CREAT|FERRITIN|WEEK [0-9]+|BASELINE'
codes+='|PM|CADM|NEW|RELAPSE|ACUTE|CHRONIC|POSITIVE|NEGATIVE|NOT DONE|NEVER|FORMER|CURRENT'
# SC test codes and model term names: anywhere, as words
words='MYOTYPE|ONSET|IPCOURSE|MDA5AB|ARSAB|SMOKER|CADM|RELAPSE|SEXM|MYOTYPEDMCADM|MDA5ABPOS|IPCOURSEACUTE'
days='365|393|364|320'
# in templates/ too: the SC test codes and the ADSL baseline columns of the
# vital signs (levels subject_characteristics, vital_signs)
scwords='MYOTYPE|ONSET|IPCOURSE|MDA5AB|ARSAB|SMOKER|WTBL|HTBL'
hits=$( { grep -rnE --include='*.c' --include='*.h' "[\"'](${codes})[\"']" pipeline
          grep -rnwE --include='*.c' --include='*.h' "(${words})" pipeline
          grep -rnwE --include='*.c' --include='*.h' "(${days})" pipeline
          grep -rnwE --include='*.json' "(${codes}|${scwords}|TACIP|IMPPACT|IMPROVED|PROGRESSED|[Ww]eek [0-9]+|[Tt]acrolimus|([Mm]ethyl)?[Pp]rednisolone|${days})" templates
        } | grep -v '^pipeline/demo/' | sort -u)
bad=0
while IFS= read -r hit; do
    [ -z "$hit" ] && continue
    file=${hit%%:*}
    ok=0
    while IFS='|' read -r afile atext areason; do
        case "$afile" in ''|'#'*) continue ;; esac
        if [ "$afile" = "$file" ] && [[ "$hit" == *"$atext"* ]] && [ -n "$areason" ]; then
            ok=1
            break
        fi
    done < "$allow"
    if [ $ok = 0 ]; then
        echo "study literal (put it in config/study.json, or allow it with a reason in $allow): $hit"
        bad=1
    fi
done <<< "$hits"
# every allow-list entry must still match something: no stale exceptions
while IFS='|' read -r afile atext areason; do
    case "$afile" in ''|'#'*) continue ;; esac
    if ! grep -qF -- "$atext" <<< "$(grep "^$afile:" <<< "$hits")"; then
        echo "$allow: entry \"$afile|$atext\" matches nothing any more: remove it"
        bad=1
    fi
done < "$allow"
[ $bad = 0 ] && echo "no study literal in pipeline/ outside pipeline/demo/ or templates/ ($(grep -c . <<< "$hits") allowed hits)"
exit $bad
