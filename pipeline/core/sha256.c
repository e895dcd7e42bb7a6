/* sha256.c - SHA-256 through OpenSSL's EVP interface (see sha256.h). */
#include "core/sha256.h"
#include "core/stop.h"

#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct tlf_sha256_ctx {
    EVP_MD_CTX *md;
};

tlf_sha256_ctx *tlf_sha256_begin(void)
{
    tlf_sha256_ctx *ctx = malloc(sizeof *ctx);
    if (!ctx || !(ctx->md = EVP_MD_CTX_new()) ||
        EVP_DigestInit_ex(ctx->md, EVP_sha256(), NULL) != 1) {
        fprintf(stderr, "tlfgen: cannot initialise SHA-256 (libcrypto)\n");
        abort();
    }
    return ctx;
}

void tlf_sha256_update(tlf_sha256_ctx *ctx, const void *data, size_t len)
{
    if (EVP_DigestUpdate(ctx->md, data, len) != 1)
        abort();
}

void tlf_sha256_end(tlf_sha256_ctx *ctx, char hex[TLF_SHA256_HEX])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    if (EVP_DigestFinal_ex(ctx->md, md, &n) != 1)
        abort();
    for (unsigned int i = 0; i < n; i++)
        snprintf(hex + 2 * i, 3, "%02x", md[i]);
    EVP_MD_CTX_free(ctx->md);
    free(ctx);
}

void tlf_sha256_mem(const void *data, size_t len, char hex[TLF_SHA256_HEX])
{
    tlf_sha256_ctx *ctx = tlf_sha256_begin();
    tlf_sha256_update(ctx, data, len);
    tlf_sha256_end(ctx, hex);
}

int tlf_sha256_file(const char *path, char hex[TLF_SHA256_HEX], tlf_err *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return tlf_err_set(err, TLF_EINPUT, "%s: cannot open: %s", path, strerror(errno));
    tlf_sha256_ctx *ctx = tlf_sha256_begin();
    unsigned char buf[1 << 16];
    size_t got;
    /* a stop request ends a long file (verify of a big run) between chunks */
    int stopped = 0;
    while (!(stopped = tlf_stop_signal()) && (got = fread(buf, 1, sizeof buf, f)) > 0)
        tlf_sha256_update(ctx, buf, got);
    int bad = ferror(f);
    fclose(f);
    tlf_sha256_end(ctx, hex);
    if (stopped)
        return tlf_stop_check(err);
    if (bad)
        return tlf_err_set(err, TLF_EINPUT, "%s: read error", path);
    return TLF_OK;
}
