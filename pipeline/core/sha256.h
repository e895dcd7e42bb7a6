/*
 * sha256.h - SHA-256 digests as lowercase hex (what `sha256sum` prints).
 *
 * Stage: core. Computed by OpenSSL's libcrypto (EVP), never by hand. Used
 * for the input database's digest on every page, the content-derived run
 * id, and the manifest that `tlfgen verify` re-checks.
 */
#ifndef TLFGEN_SHA256_H
#define TLFGEN_SHA256_H

#include <stddef.h>

#include "core/err.h"

#define TLF_SHA256_HEX 65   /* 64 hex digits and a NUL */

/* Digest of a file's bytes; TLF_EINPUT when it cannot be read. */
int tlf_sha256_file(const char *path, char hex[TLF_SHA256_HEX], tlf_err *err);
/* Digest of a memory block. */
void tlf_sha256_mem(const void *data, size_t len, char hex[TLF_SHA256_HEX]);

/* Incremental form, for digests over several pieces (the run id). */
typedef struct tlf_sha256_ctx tlf_sha256_ctx;
tlf_sha256_ctx *tlf_sha256_begin(void);
void tlf_sha256_update(tlf_sha256_ctx *ctx, const void *data, size_t len);
/* Finish, write the hex digest and free ctx. */
void tlf_sha256_end(tlf_sha256_ctx *ctx, char hex[TLF_SHA256_HEX]);

#endif
