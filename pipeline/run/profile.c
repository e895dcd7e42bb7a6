/* profile.c - load and validate a run profile (see profile.h). */
#include "run/profile.h"
#include "core/buf.h"
#include "core/jsonerr.h"
#include "core/mem.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static const char *const STATUSES[] = {"OPEN", "SOFT LOCK", "HARD LOCK", NULL};
static const char *const PAPERS[] = {"A4", "letter", NULL};
static const char *const TRANSFORMS[] = {"log", "loglog", "plain", NULL};
static const char *const TIES[] = {"efron", "breslow", NULL};
static const char *const FORMATS[] = {"pdf", "rtf", NULL};

static int in_set(const char *v, const char *const *set)
{
    for (; *set; set++)
        if (strcmp(v, *set) == 0)
            return 1;
    return 0;
}

static char *set_text(const char *const *set)
{
    tlf_buf b = TLF_BUF_INIT;
    for (size_t i = 0; set[i]; i++)
        tlf_buf_printf(&b, "%s\"%s\"", i ? ", " : "", set[i]);
    return tlf_buf_detach(&b);
}

static int get_string(char **out, json_t *doc, const char *key, const char *const *set,
                      int required, const char *file, tlf_err *err)
{
    json_t *v = json_object_get(doc, key);
    if (!v) {
        if (required)
            return tlf_err_set(err, TLF_EUSAGE, "%s: missing key \"%s\"", file, key);
        return TLF_OK;
    }
    if (!json_is_string(v))
        return tlf_err_set(err, TLF_EUSAGE, "%s: key \"%s\": expected a string", file, key);
    if (set && !in_set(json_string_value(v), set)) {
        char *s = set_text(set);
        int rc = tlf_err_set(err, TLF_EUSAGE, "%s: key \"%s\": \"%s\" is not one of %s", file,
                             key, json_string_value(v), s);
        free(s);
        return rc;
    }
    *out = xstrdup(json_string_value(v));
    return TLF_OK;
}

static int get_int(long long *out, json_t *doc, const char *key, long long lo, long long hi,
                   const char *file, tlf_err *err)
{
    json_t *v = json_object_get(doc, key);
    if (!v)
        return TLF_OK;
    if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi)
        return tlf_err_set(err, TLF_EUSAGE, "%s: key \"%s\": expected an integer from %lld to %lld",
                           file, key, lo, hi);
    *out = json_integer_value(v);
    return TLF_OK;
}

static int get_list(char ***out, size_t *n, json_t *v, const char *key,
                    const char *const *set, const char *file, tlf_err *err)
{
    if (!json_is_array(v) || json_array_size(v) == 0)
        return tlf_err_set(err, TLF_EUSAGE, "%s: key \"%s\": expected a non-empty array of strings",
                           file, key);
    *n = json_array_size(v);
    *out = xcalloc(*n, sizeof **out);
    for (size_t i = 0; i < *n; i++) {
        json_t *e = json_array_get(v, i);
        if (!json_is_string(e))
            return tlf_err_set(err, TLF_EUSAGE, "%s: key \"%s[%zu]\": expected a string", file,
                               key, i);
        if (set && !in_set(json_string_value(e), set)) {
            char *s = set_text(set);
            int rc = tlf_err_set(err, TLF_EUSAGE, "%s: key \"%s[%zu]\": \"%s\" is not one of %s",
                                 file, key, i, json_string_value(e), s);
            free(s);
            return rc;
        }
        (*out)[i] = xstrdup(json_string_value(e));
    }
    return TLF_OK;
}

static void free_list(char **l, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(l[i]);
    free(l);
}

void run_profile_free(run_profile *p)
{
    if (!p)
        return;
    free(p->name);
    free(p->path);
    free(p->description);
    free_list(p->allowed_status, p->n_allowed_status);
    free_list(p->outputs, p->n_outputs);
    free_list(p->open_packet, p->n_open_packet);
    free_list(p->closed_packet, p->n_closed_packet);
    free(p->paper);
    free(p->ci_transform);
    free(p->cox_ties);
    free(p);
}

static const char *const KEYS[] = {
    "name", "description", "allowed_status", "stop_on_error", "outputs", "packets", "paper",
    "ci_transform", "cox_ties", "cox_min_events", "bootstrap_resamples",
    "bootstrap_seed", "keep_runs", "listing_split_rows", "listing_volume_pages", "formats", NULL};

int run_profile_load(run_profile **out, const char *config_dir, const char *name_or_path,
                     tlf_err *err)
{
    *out = NULL;
    size_t len = strlen(name_or_path);
    char *path = (strchr(name_or_path, '/') || (len > 5 && strcmp(name_or_path + len - 5, ".json") == 0))
                     ? xstrdup(name_or_path)
                     : xasprintf("%s/%s.json", config_dir, name_or_path);
    json_error_t jerr;
    json_t *doc = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
    run_profile *p = xcalloc(1, sizeof *p);
    p->path = path;
    int rc = TLF_OK;
    if (!doc) {
        char where[64];
        rc = tlf_err_set(err, TLF_EUSAGE, "profile %s: %s%s", path, jerr.text,
                         tlf_json_where(where, sizeof where, &jerr));
        goto done;
    }
    if (!json_is_object(doc)) {
        rc = tlf_err_set(err, TLF_EUSAGE, "%s: expected a JSON object", path);
        goto done;
    }
    const char *key;
    json_t *v;
    json_object_foreach(doc, key, v) {
        if (strcmp(key, "landmark_day") == 0) {
            /* the analysis period is the study's, not the run's */
            rc = tlf_err_set(err, TLF_EUSAGE, "%s: key \"landmark_day\" belongs in the study "
                             "configuration (study.json), not in a run profile", path);
            goto done;
        }
        if (!in_set(key, KEYS)) {
            rc = tlf_err_set(err, TLF_EUSAGE, "%s: unknown key \"%s\"", path, key);
            goto done;
        }
    }
    long long min_events = 5, resamples = 2000, seed = 1, keep = 0;
    long long split_rows = 20000, volume_pages = 1000;
    if ((rc = get_string(&p->name, doc, "name", NULL, 1, path, err)) ||
        (rc = get_string(&p->description, doc, "description", NULL, 0, path, err)) ||
        (rc = get_string(&p->paper, doc, "paper", PAPERS, 1, path, err)) ||
        (rc = get_string(&p->ci_transform, doc, "ci_transform", TRANSFORMS, 1, path, err)) ||
        (rc = get_string(&p->cox_ties, doc, "cox_ties", TIES, 1, path, err)) ||
        (rc = get_int(&min_events, doc, "cox_min_events", 1, 1000000, path, err)) ||
        (rc = get_int(&resamples, doc, "bootstrap_resamples", 10, 1000000, path, err)) ||
        (rc = get_int(&seed, doc, "bootstrap_seed", 0, 4294967295LL, path, err)) ||
        (rc = get_int(&keep, doc, "keep_runs", 0, 100000, path, err)) ||
        (rc = get_int(&split_rows, doc, "listing_split_rows", 0, 2000000000, path, err)) ||
        (rc = get_int(&volume_pages, doc, "listing_volume_pages", 1, 1000000, path, err)))
        goto done;
    p->listing_split_rows = (int)split_rows;
    p->listing_volume_pages = (int)volume_pages;
    p->cox_min_events = (int)min_events;
    p->bootstrap_resamples = (int)resamples;
    p->bootstrap_seed = (unsigned long)seed;
    p->keep_runs = (int)keep;
    v = json_object_get(doc, "stop_on_error");
    if (!json_is_boolean(v)) {
        rc = tlf_err_set(err, TLF_EUSAGE, "%s: key \"stop_on_error\": expected true or false", path);
        goto done;
    }
    p->stop_on_error = json_is_true(v);
    if ((rc = get_list(&p->allowed_status, &p->n_allowed_status,
                       json_object_get(doc, "allowed_status"), "allowed_status", STATUSES, path, err)) ||
        (rc = get_list(&p->outputs, &p->n_outputs, json_object_get(doc, "outputs"), "outputs",
                       NULL, path, err)))
        goto done;
    /* formats: PDF is the run's record and always made; RTF is a copy
     * for medical writers (docs/rtf.md). Absent means ["pdf"]. */
    json_t *formats = json_object_get(doc, "formats");
    if (formats) {
        char **f = NULL;
        size_t nf = 0;
        rc = get_list(&f, &nf, formats, "formats", FORMATS, path, err);
        int pdf = 0;
        for (size_t i = 0; rc == TLF_OK && i < nf; i++) {
            for (size_t j = 0; j < i; j++)
                if (strcmp(f[i], f[j]) == 0)
                    rc = tlf_err_set(err, TLF_EUSAGE, "%s: key \"formats\": \"%s\" given twice",
                                     path, f[i]);
            pdf |= strcmp(f[i], "pdf") == 0;
            p->format_rtf |= strcmp(f[i], "rtf") == 0;
        }
        if (rc == TLF_OK && !pdf)
            rc = tlf_err_set(err, TLF_EUSAGE, "%s: key \"formats\": must include \"pdf\" (the "
                             "run's record; \"rtf\" is an extra copy)", path);
        free_list(f, nf);
        if (rc)
            goto done;
    }
    json_t *packets = json_object_get(doc, "packets");
    if (packets) {
        json_object_foreach(packets, key, v) {
            if (strcmp(key, "open") != 0 && strcmp(key, "closed") != 0) {
                rc = tlf_err_set(err, TLF_EUSAGE, "%s: unknown key \"packets.%s\" (expected open, closed)",
                                 path, key);
                goto done;
            }
        }
        if ((rc = get_list(&p->open_packet, &p->n_open_packet, json_object_get(packets, "open"),
                           "packets.open", NULL, path, err)) ||
            (rc = get_list(&p->closed_packet, &p->n_closed_packet,
                           json_object_get(packets, "closed"), "packets.closed", NULL, path, err)))
            goto done;
    }
done:
    json_decref(doc);
    if (rc) {
        run_profile_free(p);
        return rc;
    }
    *out = p;
    return TLF_OK;
}

int run_profile_allows_status(const run_profile *p, const char *status)
{
    for (size_t i = 0; i < p->n_allowed_status; i++)
        if (strcmp(p->allowed_status[i], status) == 0)
            return 1;
    return 0;
}

int run_profile_list_has(char *const *list, size_t n, const char *output)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(list[i], "all") == 0 || strcmp(list[i], output) == 0)
            return 1;
    return 0;
}

int run_profile_selects(const run_profile *p, const char *output)
{
    return run_profile_list_has(p->outputs, p->n_outputs, output);
}
