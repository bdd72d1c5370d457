/* fuzz-baseline.c - the baseline reader (whole files) and the record parser get arbitrary bytes. */
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#include "irk/baseline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct irk_fentry e;
	struct irk_baseline_reader *r;
	struct irk_baseline_info info;
	const struct irk_fentry *rec;
	int fd;

	if (irk_fentry_parse((const char *)data, size, &e, NULL) == IRK_OK) {
		struct irk_buf line = IRK_BUF_INIT;
		irk_fentry_format(&e, &line);
		irk_buf_release(&line);
		free(e.path);
		free(e.target);
	}
	fd = memfd_create("baseline", MFD_CLOEXEC);
	if (fd < 0 || write(fd, data, size) != (ssize_t)size) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	lseek(fd, 0, SEEK_SET);
	if (irk_baseline_open_fd(fd, "fuzz", NULL, 0, &r, &info, NULL) == IRK_OK) {
		while (irk_baseline_next(r, &rec, NULL) == IRK_OK)
			;
		irk_baseline_close(r);
		irk_baseline_info_release(&info);
	}
	return 0;
}
