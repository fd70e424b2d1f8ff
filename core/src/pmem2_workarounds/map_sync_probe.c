/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * map_sync_probe.c -- works around the address-space hole behind every part
 * mapping made by libpmem2 1.12.1.
 *
 * libpmem2 maps a part with mmap(slot, MAP_FIXED | MAP_SHARED_VALIDATE |
 * MAP_SYNC) and, when that fails with EOPNOTSUPP (any file that is not on
 * DAX), again without MAP_SYNC. On kernels whose file systems refuse
 * MAP_SYNC only inside their ->mmap, the failed MAP_FIXED call has already
 * unmapped the reservation's placeholder, so until the retry the slot is a
 * hole that another thread's mmap (a new thread's stack, malloc) can take,
 * and the retry then maps the file over it.
 *
 * Mapping the file ourselves and handing it to pmem2_map_from_existing does
 * not work in 1.12.1: such a map's PAGE persist loops forever when the range
 * starts at the map's first page (it records a reserved length of 0), and
 * every such map creates a pthread key of its own (10,000 parts exhaust
 * them). So libpmem2 keeps mapping, and only its MAP_SYNC attempt is
 * answered first here: its reference to mmap (a GOT slot) is pointed at
 * probe_mmap below. A request with MAP_SYNC for a file that cannot have
 * it (statx says it is not on DAX, or a MAP_SYNC mmap without MAP_FIXED
 * is refused) fails with EOPNOTSUPP before any system call, so libpmem2
 * goes straight to its plain MAP_FIXED mapping, which replaces the
 * placeholder in one step. A file that can have MAP_SYNC gets it exactly as
 * before. Granularity, persist functions, deep flush, the mapping registry
 * and the reservations all stay libpmem2's; the only change is that a
 * MAP_FIXED call that was bound to fail is not made. This holds for every
 * libpmem2 user in the process, which only gains from it.
 */
#include <dlfcn.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "errormsg.h"
#include "map_sync_probe.h"

#if __SIZEOF_POINTER__ == 8
#define RELOCATION_SYMBOL ELF64_R_SYM
#else
#define RELOCATION_SYMBOL ELF32_R_SYM
#endif

typedef void *mmap_function(void *addr, size_t len, int prot, int flags, int fd,
			    off_t offset);

/* what libpmem2's mmap reference led to before: libc's (or an interposer) */
static mmap_function *next_mmap;

/* false when a MAP_SYNC mapping of fd at offset is certain to be refused */
static bool may_map_sync(int fd, off_t offset)
{
	struct statx stx;
	if (statx(fd, "", AT_EMPTY_PATH, STATX_TYPE, &stx) == 0) {
		/* device DAX takes MAP_SYNC; leave it to the kernel */
		if (S_ISCHR(stx.stx_mode))
			return true;
		if ((stx.stx_attributes_mask & STATX_ATTR_DAX) &&
		    !(stx.stx_attributes & STATX_ATTR_DAX))
			return false;
	}
	/* on DAX, or the kernel cannot say: try without MAP_FIXED */
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	void *probe = next_mmap(NULL, page, PROT_READ,
				MAP_SHARED_VALIDATE | MAP_SYNC, fd, offset);
	if (probe == MAP_FAILED)
		return false;
	munmap(probe, page);
	return true;
}

static void *probe_mmap(void *addr, size_t len, int prot, int flags, int fd,
			off_t offset)
{
	if ((flags & MAP_SYNC) && (flags & MAP_TYPE) == MAP_SHARED_VALIDATE &&
	    fd >= 0 && !may_map_sync(fd, offset)) {
		errno = EOPNOTSUPP;
		return MAP_FAILED;
	}
	return next_mmap(addr, len, prot, flags, fd, offset);
}

/* the loaded address of a dynamic-section pointer */
static uintptr_t dynamic_address(const struct dl_phdr_info *info,
				 ElfW(Addr) value)
{
	/* glibc relocates these in place on most targets, not on all */
	return value >= info->dlpi_addr ? value : info->dlpi_addr + value;
}

struct object_tables {
	const ElfW(Sym) * symbols;
	const char *strings;
	const ElfW(Rela) * relocations[2]; /* PLT and data relocations */
	size_t sizes[2];
	uintptr_t relro_start, relro_end;
};

static bool read_tables(const struct dl_phdr_info *info,
			struct object_tables *t)
{
	memset(t, 0, sizeof(*t));
	const ElfW(Dyn) *dyn = NULL;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		if (ph->p_type == PT_DYNAMIC)
			dyn = (const ElfW(Dyn) *)(info->dlpi_addr +
						  ph->p_vaddr);
		if (ph->p_type == PT_GNU_RELRO) {
			t->relro_start = info->dlpi_addr + ph->p_vaddr;
			t->relro_end = t->relro_start + ph->p_memsz;
		}
	}
	if (dyn == NULL)
		return false;
	for (; dyn->d_tag != DT_NULL; dyn++) {
		switch (dyn->d_tag) {
		case DT_SYMTAB:
			t->symbols = (const ElfW(Sym) *)dynamic_address(
				info, dyn->d_un.d_ptr);
			break;
		case DT_STRTAB:
			t->strings = (const char *)dynamic_address(
				info, dyn->d_un.d_ptr);
			break;
		case DT_JMPREL:
			t->relocations[0] = (const ElfW(Rela) *)dynamic_address(
				info, dyn->d_un.d_ptr);
			break;
		case DT_PLTRELSZ:
			t->sizes[0] = dyn->d_un.d_val / sizeof(ElfW(Rela));
			break;
		case DT_RELA:
			t->relocations[1] = (const ElfW(Rela) *)dynamic_address(
				info, dyn->d_un.d_ptr);
			break;
		case DT_RELASZ:
			t->sizes[1] = dyn->d_un.d_val / sizeof(ElfW(Rela));
			break;
		}
	}
	return t->symbols != NULL && t->strings != NULL;
}

/* writes probe_mmap into one GOT slot (read-only after relocation) */
static bool patch_slot(const struct object_tables *t, uintptr_t slot)
{
	uintptr_t page_size = (uintptr_t)sysconf(_SC_PAGESIZE);
	void *page = (void *)(slot & ~(page_size - 1));
	bool relro = slot >= t->relro_start && slot < t->relro_end;
	if (relro && mprotect(page, page_size, PROT_READ | PROT_WRITE))
		return false;
	__atomic_store_n((mmap_function **)slot, probe_mmap, __ATOMIC_RELEASE);
	if (relro)
		mprotect(page, page_size, PROT_READ);
	return true;
}

static int patch_libpmem2(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)size;
	int *patched = data;
	if (strstr(info->dlpi_name, "/libpmem2.so") == NULL)
		return 0;
	struct object_tables t;
	if (!read_tables(info, &t))
		return 1;
	for (int table = 0; table < 2; table++) {
		for (size_t i = 0; i < t.sizes[table]; i++) {
			const ElfW(Rela) *r = &t.relocations[table][i];
			size_t symbol = RELOCATION_SYMBOL(r->r_info);
			if (symbol == 0 ||
			    strcmp(t.strings + t.symbols[symbol].st_name,
				   "mmap") != 0)
				continue;
			if (patch_slot(&t, info->dlpi_addr + r->r_offset))
				(*patched)++;
		}
	}
	return 1;
}

static void install_once(void)
{
	next_mmap = (mmap_function *)dlsym(RTLD_DEFAULT, "mmap");
	if (next_mmap == NULL) {
		log_message(1, "map_sync_probe: mmap not found");
		return;
	}
	int patched = 0;
	dl_iterate_phdr(patch_libpmem2, &patched);
	if (patched == 0)
		log_message(1, "map_sync_probe: libpmem2's mmap not found; "
			       "part mappings keep libpmem2's MAP_SYNC retry");
}

void map_sync_probe_install(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, install_once);
}
