/*
 * fuzz_date.c - libFuzzer target: the SDTM date parser (partial dates,
 * times) and what the derivation does with a parsed date. A date in the
 * database is typed by hand at a site; any string must parse or be
 * refused, never crash, and a complete date must survive a round trip
 * through its day number. Build and run: see fuzz/README.md.
 */
#include "derive/dates.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 256)
        return 0;
    char s[257];
    memcpy(s, data, size);
    s[size] = '\0';
    tlf_pdate p;
    if (tlf_pdate_parse(s, &p) == 0 && p.prec != TLF_PD_MISSING) {
        tlf_day first = tlf_pdate_first(&p), last = tlf_pdate_last(&p);
        if (first > last)
            abort();                         /* a partial date's range is ordered */
        char buf[11];
        tlf_day_format(first, buf);
        if (tlf_day_parse_complete(buf) != first)
            abort();                         /* day number -> text -> day number */
        char flag = 0;
        int issue = 0;
        (void)tlf_impute_start(&p, first, last, &flag);
        (void)tlf_impute_end(&p, TLF_NODAY, last, &flag);
        (void)tlf_impute_death(&p, first, &flag, &issue);
        (void)tlf_pdate_agree(&p, &p);
    }
    (void)tlf_day_parse_complete(s);
    return 0;
}
