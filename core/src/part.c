/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * part.c -- pmemset_part_new/delete and pmemset_part_map, which turns a part
 * into a libpmem2 mapping placed by placement.c and indexed in the set.
 */
#include <errno.h>
#include <stdint.h>

#include "alloc.h"
#include "errormsg.h"
#include "event.h"
#include "fault.h"
#include "part.h"
#include "placement.h"
#include "pmem2_workarounds/mover.h"
#include "pmem2_workarounds/registry.h"
#include "set.h"
#include "source.h"

int pmemset_part_new(struct pmemset_part **part, struct pmemset *set,
		     struct pmemset_source *src, size_t offset, size_t length)
{
	*part = NULL;
	int ret = source_validate(src);
	if (ret)
		return ret;

	struct pmemset_part *new_part = pmemset_malloc(sizeof(*new_part));
	if (new_part == NULL)
		return set_error_errno(-ENOMEM, "cannot allocate part");
	new_part->set = set;
	new_part->source = src;
	new_part->offset = offset;
	new_part->length = length;
	*part = new_part;
	return 0;
}

int pmemset_part_delete(struct pmemset_part **part)
{
	pmemset_free(*part);
	*part = NULL;
	return 0;
}

/* a libpmem2 config for the part: steps 4 and 5 of pmemset_part_map */
static int part_pmem2_config(struct pmem2_config **cfg,
			     const struct pmemset_part *part, size_t size)
{
	int ret = PMEM2_GUARDED(pmem2_config_new(cfg));
	if (ret)
		return set_error_pmem2(
			PMEMSET_E_CANNOT_ALLOCATE_INTERNAL_STRUCTURE, ret,
			"cannot allocate a pmem2 config");

	if (part->offset > (size_t)INT64_MAX) {
		ret = set_error(PMEMSET_E_INVALID_OFFSET_VALUE,
				"part offset %zu is larger than INT64_MAX",
				part->offset);
		goto err_delete_config;
	}
	ret = PMEM2_GUARDED(pmem2_config_set_offset(*cfg, part->offset));
	if (ret) {
		ret = set_error_pmem2(PMEMSET_E_INVALID_OFFSET_VALUE, ret,
				      "invalid part offset %zu", part->offset);
		goto err_delete_config;
	}
	ret = PMEM2_GUARDED(pmem2_config_set_required_store_granularity(
		*cfg, part->set->config->granularity));
	if (ret) {
		ret = set_error_pmem2(PMEMSET_E_GRANULARITY_NOT_SUPPORTED, ret,
				      "store granularity not supported");
		goto err_delete_config;
	}
	ret = mover_set(*cfg);
	if (ret) {
		ret = set_error_pmem2(
			PMEMSET_E_CANNOT_ALLOCATE_INTERNAL_STRUCTURE, ret,
			"cannot set the data mover");
		goto err_delete_config;
	}
	if (part->source->read_only) {
		ret = PMEM2_GUARDED(
			pmem2_config_set_protection(*cfg, PMEM2_PROT_READ));
		if (ret) {
			ret = set_error_pmem2(PMEMSET_E_INVALID_PMEM2_MAP, ret,
					      "cannot map a read-only source "
					      "read-only");
			goto err_delete_config;
		}
	}
	ret = PMEM2_GUARDED(pmem2_config_set_length(*cfg, size));
	if (ret) {
		ret = set_error_pmem2(PMEMSET_E_INVALID_PMEM2_MAP, ret,
				      "invalid part length %zu", size);
		goto err_delete_config;
	}
	return 0;

err_delete_config:
	pmem2_config_delete(cfg);
	return ret;
}

/* steps 6-9, under the set's write lock; fills *desc on success */
static int part_map_locked(struct pmemset_part *part, struct pmem2_config *cfg,
			   size_t size, struct pmemset_part_descriptor *desc)
{
	struct pmemset *set = part->set;
	struct placement placement;
	struct pmem2_map *map = NULL;

	/* index nodes first, so indexing the new part map cannot run out */
	int ret = index_prepare_insert(set->index);
	if (ret)
		return ret;
	ret = placement_choose(set, size, &placement);
	if (ret)
		return ret;

	ret = PMEM2_GUARDED(pmem2_config_set_vm_reservation(
		cfg, placement.reservation, placement.offset));
	if (ret == 0)
		ret = PMEM2_GUARDED(
			registry_map_new(&map, cfg, part->source->pmem2));
	if (ret) {
		ret = set_error_pmem2(PMEMSET_E_INVALID_PMEM2_MAP, ret,
				      "cannot map %zu bytes at source offset "
				      "%zu",
				      size, part->offset);
		goto err_undo_placement;
	}

	const struct set_data_path *data_path = set_data_path(set);
	enum pmem2_granularity granularity =
		pmem2_map_get_store_granularity(map);
	if (data_path != NULL && granularity != set->effective_granularity) {
		ret = set_error(PMEMSET_E_GRANULARITY_MISMATCH,
				"part's store granularity %d differs from the "
				"set's %d",
				(int)granularity,
				(int)set->effective_granularity);
		goto err_unmap;
	}

	ret = placement_commit(set, &placement, map);
	if (ret)
		goto err_unmap;
	set_capture_data_path(set, map);
	*desc = pmemset_descriptor_part_map(placement.part_map);
	return 0;

err_unmap:
	registry_map_delete(&map);
err_undo_placement:
	placement_undo(set, &placement);
	return ret;
}

int pmemset_part_map(struct pmemset_part **part_ptr,
		     struct pmemset_extras *extra,
		     struct pmemset_part_descriptor *desc)
{
	(void)extra; /* shutdown-state data is not supported in this version */
	struct pmemset_part *part = *part_ptr;
	struct pmemset *set = part->set;
	struct pmemset_source *src = part->source;
	size_t source_size;

	int ret = PMEM2_GUARDED(pmem2_source_size(src->pmem2, &source_size));
	if (ret)
		return set_error_pmem2(ret, ret, "cannot read the source size");
	size_t size = part->length != 0 ? part->length : source_size;

	ret = source_grow(src, part->offset, part->length);
	if (ret)
		return ret;

	struct pmem2_config *cfg;
	ret = part_pmem2_config(&cfg, part, size);
	if (ret)
		return ret;

	struct pmemset_part_descriptor mapped;
	set_write_lock(set);
	ret = part_map_locked(part, cfg, size, &mapped);
	pthread_rwlock_unlock(&set->lock);
	pmem2_config_delete(&cfg);
	if (ret)
		return ret;

	if (desc != NULL)
		*desc = mapped;
	struct pmemset_event_context ctx = {.type = PMEMSET_EVENT_PART_ADD};
	ctx.data.part_add.addr = mapped.addr;
	ctx.data.part_add.len = mapped.size;
	ctx.data.part_add.src = src->pmem2;
	pmemset_part_delete(part_ptr);
	event_fire(set, &ctx);
	return 0;
}
