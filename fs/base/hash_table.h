/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * hash_table.h -- one open-addressing hash table of pointers for every
 * index of the daemon (parts by name, map views by inode number, source
 * locks by file, set-file part names), so a 10,000-part set is looked up
 * in constant time instead of a scan per question. The table stores the
 * caller's entries; the caller says how an entry hashes and what a key
 * matches, so one table serves any key.
 */
#ifndef PMEMSETFS_HASH_TABLE_H
#define PMEMSETFS_HASH_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The hash of entry's key; context is the table's. */
typedef size_t hash_entry_fn(const void *entry, const void *context);
/* Whether entry has key. */
typedef bool hash_match_fn(const void *entry, const void *key,
			   const void *context);

struct hash_table {
	void **slots; /* a power of two of them, or none; NULL: empty */
	size_t cap, count;
	hash_entry_fn *hash;
	const void *context; /* handed to hash and match, e.g. an array */
};

#define HASH_TABLE_INIT(hash_fn, context_ptr)                                  \
	{                                                                      \
		NULL, 0, 0, (hash_fn), (context_ptr)                           \
	}

/* FNV-1a of a string: well spread for names that differ in one byte. */
size_t hash_string(const char *text);
/* A number spread over all bits (Fibonacci hashing). */
size_t hash_number(uint64_t number);

/* Adds entry (not NULL); grows at half full. 0 or -ENOMEM. */
int hash_table_add(struct hash_table *t, void *entry);
/* Makes room for n entries in all, so that n adds cannot fail. */
int hash_table_reserve(struct hash_table *t, size_t n);
/* The entry matching key whose hash is hash, or NULL. */
void *hash_table_find(const struct hash_table *t, size_t hash,
		      hash_match_fn *match, const void *key);
/* Removes entry itself (compared by address); absent: nothing happens. */
void hash_table_remove(struct hash_table *t, const void *entry);
/* Frees the slots, not the entries; the table can be used again. */
void hash_table_clear(struct hash_table *t);

#endif /* PMEMSETFS_HASH_TABLE_H */
