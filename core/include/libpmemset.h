/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libpmemset.h -- the pmemset 1.0 interface: sets of persistent-memory part
 * mappings built on libpmem2. Every name, signature, enumerator order and
 * numeric error code here is binding (see the project's API specification).
 */

#ifndef LIBPMEMSET_H
#define LIBPMEMSET_H 1

#include <stdbool.h>
#include <stddef.h>
#include <libpmem2.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PMEMSET_E_UNKNOWN (-200000)
#define PMEMSET_E_NOSUPP (-200001)
#define PMEMSET_E_INVALID_PMEM2_SOURCE (-200002)
#define PMEMSET_E_INVALID_SOURCE_PATH (-200003)
#define PMEMSET_E_INVALID_SOURCE_TYPE (-200004)
#define PMEMSET_E_CANNOT_ALLOCATE_INTERNAL_STRUCTURE (-200005)
#define PMEMSET_E_INVALID_OFFSET_VALUE (-200006)
#define PMEMSET_E_GRANULARITY_NOT_SUPPORTED (-200007)
#define PMEMSET_E_INVALID_PMEM2_MAP (-200008)
#define PMEMSET_E_PART_EXISTS (-200009)
#define PMEMSET_E_GRANULARITY_NOT_SET (-200010)
#define PMEMSET_E_GRANULARITY_MISMATCH (-200011)
#define PMEMSET_E_NO_PART_MAPPED (-200012)
#define PMEMSET_E_CANNOT_FIND_PART_MAP (-200013)
#define PMEMSET_E_CANNOT_COALESCE_PARTS (-200014)
#define PMEMSET_E_LENGTH_UNALIGNED (-200015)
#define PMEMSET_E_PART_NOT_FOUND (-200016)
#define PMEMSET_E_INVALID_COALESCING_VALUE (-200017)
#define PMEMSET_E_DEEP_FLUSH_FAIL (-200018)
#define PMEMSET_E_INVALID_SOURCE_FILE_CREATE_FLAGS (-200019)
#define PMEMSET_E_CANNOT_CREATE_TEMP_FILE (-200020)
#define PMEMSET_E_CANNOT_TRUNCATE_SOURCE_FILE (-200021)
#define PMEMSET_E_PART_MAP_POSSIBLE_USE_AFTER_DROP (-200022)
#define PMEMSET_E_CANNOT_FIT_PART_MAP (-200023)

enum pmemset_coalescing {
	PMEMSET_COALESCING_NONE,
	PMEMSET_COALESCING_OPPORTUNISTIC,
	PMEMSET_COALESCING_FULL,
};

struct pmemset;
struct pmemset_config;
struct pmemset_part;
struct pmemset_part_map;
struct pmemset_source;
struct pmem2_source;
struct pmemset_part_shutdown_state_data;

struct pmemset_part_descriptor {
	void *addr;
	size_t size;
};

enum pmemset_part_state {
	PMEMSET_PART_STATE_INDETERMINATE,
	PMEMSET_PART_STATE_OK,
	PMEMSET_PART_STATE_OK_BUT_INTERRUPTED,
	PMEMSET_PART_STATE_CORRUPTED,
};

struct pmemset_extras {
	const struct pmemset_part_shutdown_state_data *sds_in;
	struct pmemset_part_shutdown_state_data *sds_out;
	enum pmemset_part_state *state;
};

enum pmemset_event {
	PMEMSET_EVENT_COPY,
	PMEMSET_EVENT_MOVE,
	PMEMSET_EVENT_SET,
	PMEMSET_EVENT_FLUSH,
	PMEMSET_EVENT_DRAIN,
	PMEMSET_EVENT_PERSIST,
	PMEMSET_EVENT_BAD_BLOCK,
	PMEMSET_EVENT_REMOVE_RANGE,
	PMEMSET_EVENT_PART_ADD,
	PMEMSET_EVENT_PART_REMOVE,
};

struct pmemset_event_copy {
	void *src;
	void *dest;
	size_t len;
	unsigned flags;
};

struct pmemset_event_move {
	void *src;
	void *dest;
	size_t len;
	unsigned flags;
};

struct pmemset_event_set {
	void *dest;
	int value;
	size_t len;
	unsigned flags;
};

struct pmemset_event_flush {
	void *addr;
	size_t len;
};

struct pmemset_event_persist {
	void *addr;
	size_t len;
};

struct pmemset_event_bad_block {
	void *addr;
	size_t len;
};

struct pmemset_event_remove_range {
	void *addr;
	size_t len;
};

struct pmemset_event_part_remove {
	void *addr;
	size_t len;
};

struct pmemset_event_part_add {
	void *addr;
	size_t len;
	struct pmem2_source *src;
};

#define PMEMSET_EVENT_CONTEXT_SIZE (64)

struct pmemset_event_context {
	enum pmemset_event type;
	union {
		char _data[PMEMSET_EVENT_CONTEXT_SIZE];
		struct pmemset_event_copy copy;
		struct pmemset_event_move move;
		struct pmemset_event_set set;
		struct pmemset_event_flush flush;
		struct pmemset_event_persist persist;
		struct pmemset_event_bad_block bad_block;
		struct pmemset_event_remove_range remove_range;
		struct pmemset_event_part_remove part_remove;
		struct pmemset_event_part_add part_add;
	} data;
};

typedef int pmemset_event_callback(struct pmemset *set,
				   struct pmemset_event_context *ctx,
				   void *arg);

#define PMEMSET_F_MEM_NODRAIN (1U << 0)
#define PMEMSET_F_MEM_NONTEMPORAL (1U << 1)
#define PMEMSET_F_MEM_TEMPORAL (1U << 2)
#define PMEMSET_F_MEM_WC (1U << 3)
#define PMEMSET_F_MEM_WB (1U << 4)
#define PMEMSET_F_MEM_NOFLUSH (1U << 5)
#define PMEMSET_F_MEM_VALID_FLAGS                                              \
	(PMEMSET_F_MEM_NODRAIN | PMEMSET_F_MEM_NONTEMPORAL |                   \
	 PMEMSET_F_MEM_TEMPORAL | PMEMSET_F_MEM_WC | PMEMSET_F_MEM_WB |        \
	 PMEMSET_F_MEM_NOFLUSH)

#define PMEMSET_SOURCE_FILE_CREATE_ALWAYS (1U << 0)
#define PMEMSET_SOURCE_FILE_CREATE_IF_NEEDED (1U << 1)
#define PMEMSET_SOURCE_FILE_TRUNCATE_IF_NEEDED (1U << 2)
#define PMEMSET_SOURCE_FILE_CREATE_VALID_FLAGS                                 \
	(PMEMSET_SOURCE_FILE_CREATE_ALWAYS |                                   \
	 PMEMSET_SOURCE_FILE_CREATE_IF_NEEDED |                                \
	 PMEMSET_SOURCE_FILE_TRUNCATE_IF_NEEDED)

/* set */
void pmemset_config_set_event_callback(struct pmemset_config *config,
				       pmemset_event_callback *callback,
				       void *arg);
int pmemset_new(struct pmemset **set, struct pmemset_config *cfg);
int pmemset_delete(struct pmemset **set);
int pmemset_remove_part_map(struct pmemset *set,
			    struct pmemset_part_map **part);
struct pmemset_part_descriptor
pmemset_descriptor_part_map(struct pmemset_part_map *pmap);
void pmemset_first_part_map(struct pmemset *set,
			    struct pmemset_part_map **pmap);
void pmemset_next_part_map(struct pmemset *set, struct pmemset_part_map *cur,
			   struct pmemset_part_map **next);
int pmemset_remove_range(struct pmemset *set, void *addr, size_t len);
int pmemset_set_contiguous_part_coalescing(struct pmemset *set,
					   enum pmemset_coalescing value);
int pmemset_persist(struct pmemset *set, void *ptr, size_t size);
int pmemset_flush(struct pmemset *set, void *ptr, size_t size);
int pmemset_drain(struct pmemset *set);
int pmemset_get_store_granularity(struct pmemset *set,
				  enum pmem2_granularity *g);
void *pmemset_memmove(struct pmemset *set, void *pmemdest, void *src,
		      size_t len, unsigned flags);
void *pmemset_memcpy(struct pmemset *set, void *pmemdest, void *src, size_t len,
		     unsigned flags);
void *pmemset_memset(struct pmemset *set, void *pmemdest, int c, size_t len,
		     unsigned flags);
int pmemset_deep_flush(struct pmemset *set, void *ptr, size_t size);

/* config */
int pmemset_config_new(struct pmemset_config **cfg);
int pmemset_config_delete(struct pmemset_config **cfg);
void pmemset_config_set_reservation(struct pmemset_config *cfg,
				    struct pmem2_vm_reservation *rsv);
int pmemset_config_set_required_store_granularity(struct pmemset_config *cfg,
						  enum pmem2_granularity g);

/* source */
int pmemset_source_from_pmem2(struct pmemset_source **src,
			      struct pmem2_source *pmem2_src);
#ifndef WIN32
int pmemset_source_from_file(struct pmemset_source **src, const char *file);
int pmemset_xsource_from_file(struct pmemset_source **src, const char *file,
			      unsigned flags);
int pmemset_source_from_temporary(struct pmemset_source **src, const char *dir);
#endif
int pmemset_source_delete(struct pmemset_source **src);

/* part */
int pmemset_part_new(struct pmemset_part **part, struct pmemset *set,
		     struct pmemset_source *src, size_t offset, size_t length);
int pmemset_part_delete(struct pmemset_part **part);
int pmemset_part_map(struct pmemset_part **part_ptr,
		     struct pmemset_extras *extra,
		     struct pmemset_part_descriptor *desc);
void pmemset_part_map_drop(struct pmemset_part_map **pmap);
int pmemset_part_map_by_address(struct pmemset *set,
				struct pmemset_part_map **pmap, void *addr);

/* errors */
int pmemset_err_to_errno(int);
#ifndef _WIN32
const char *pmemset_errormsg(void);
void pmemset_perror(const char *format, ...)
	__attribute__((__format__(__printf__, 1, 2)));
#endif

#ifdef __cplusplus
}
#endif

#endif /* LIBPMEMSET_H */
