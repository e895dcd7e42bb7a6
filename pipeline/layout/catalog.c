/* catalog.c - load templates/catalog.json (see catalog.h). */
#include "layout/catalog.h"
#include "core/jsonerr.h"
#include "core/mem.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

void tlf_catalog_free(tlf_catalog *c)
{
    for (size_t i = 0; i < c->n; i++) {
        free(c->items[i].number);
        free(c->items[i].template_path);
    }
    free(c->items);
    memset(c, 0, sizeof *c);
}

int tlf_catalog_load(tlf_catalog *c, const char *dir, tlf_err *err)
{
    memset(c, 0, sizeof *c);
    char *path = xasprintf("%s/catalog.json", dir);
    json_error_t jerr;
    json_t *doc = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
    int rc = TLF_OK;
    json_t *outs = doc ? json_object_get(doc, "outputs") : NULL;
    if (!doc) {
        char where[64];
        rc = tlf_err_set(err, TLF_EUSAGE, "%s: %s%s", path, jerr.text,
                         tlf_json_where(where, sizeof where, &jerr));
        goto done;
    }
    /* the study's name and protocol are the study configuration's */
    if (!json_is_array(outs)) {
        rc = tlf_err_set(err, TLF_EUSAGE, "%s: expected \"outputs\" (array)", path);
        goto done;
    }
    c->items = xcalloc(json_array_size(outs) + 1, sizeof *c->items);
    size_t i;
    json_t *o;
    json_array_foreach(outs, i, o) {
        const char *num = json_string_value(json_object_get(o, "number"));
        const char *tpl = json_string_value(json_object_get(o, "template"));
        json_t *expl = json_object_get(o, "explicit");
        if (!num || !tpl || (expl && !json_is_boolean(expl)) ||
            json_object_size(o) != 2u + (expl != NULL)) {
            rc = tlf_err_set(err, TLF_EUSAGE,
                             "%s: outputs[%zu]: expected {\"number\": string, \"template\": string"
                             "[, \"explicit\": boolean]}", path, i);
            goto done;
        }
        c->items[c->n].number = xstrdup(num);
        c->items[c->n].template_path = xasprintf("%s/%s", dir, tpl);
        c->items[c->n].explicit_only = json_is_true(expl);
        c->n++;
    }
done:
    json_decref(doc);
    free(path);
    return rc;
}

const tlf_catalog_item *tlf_catalog_find(const tlf_catalog *c, const char *number)
{
    for (size_t i = 0; number && i < c->n; i++)
        if (strcmp(c->items[i].number, number) == 0)
            return &c->items[i];
    return NULL;
}
