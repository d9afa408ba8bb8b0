/*
 * Fingerprint internals shared with the compile lane (alias-free
 * fingerprints) and the unit tests.
 */
#ifndef UF_SQL_FINGERPRINT_H
#define UF_SQL_FINGERPRINT_H

#include <stddef.h>
#include <stdint.h>

#include "unifier/sql.h"

/* The 4-byte code of a kind or a slot in the stream: the 32-bit FNV-1a of
 * its JSON name, so it depends on the name alone. All kind codes are
 * distinct and nonzero, and so are all slot codes (tested). */
uint32_t uf_fp_kind_code(uf_kind k);
uint32_t uf_fp_slot_code(uf_slot s);
/* The lead code of a node of kind k in slot s: slot and kind in 4 bytes.
 * For every kind, the codes of its slots with all kinds are distinct
 * (tested), so the lead decodes to one (slot, kind). */
uint32_t uf_fp_child_code(uf_slot s, uf_kind k);

/* Texts fingerprinted in place of some IDENT nodes' own: the node is hashed
 * as if its text were `text` (len bytes) and quoted (exact, never folded).
 * An open-addressing table keyed by node address, cap a power of two
 * greater than the number of entries (so one entry is always empty); the
 * caller owns the memory. */
typedef struct uf_fp_rename {
  const uf_node *ident; /* NULL = empty entry */
  const char *text;
  uint32_t len;
} uf_fp_rename;

typedef struct uf_fp_renames {
  uf_fp_rename *slot;
  size_t cap;
} uf_fp_renames;

/* The entry to probe first for n. */
static inline size_t uf_fp_rename_home(const uf_node *n, size_t cap) {
  uint64_t h = (uint64_t)(uintptr_t)n * UINT64_C(0x9E3779B97F4A7C15);
  return (size_t)(h >> 32) & (cap - 1);
}

/* uf_fingerprint with the renames applied (r NULL or empty: none). */
uf_status uf_fingerprint_renamed(const uf_node *n, const uf_dialect *d,
                                 const uf_fp_renames *r, uint8_t out_digest[32],
                                 uf_error *err);

/* 64 lower-case hex digits plus NUL for a digest. */
void uf_fp_hex(const uint8_t digest[32], char out_hex[UF_FINGERPRINT_HEX]);

#endif
