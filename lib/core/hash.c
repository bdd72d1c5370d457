/* hash.c - SHA-256 and hex/base64 encodings; see irk/hash.h. */
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <sodium.h>
#include <string.h>

#include "irk/buf.h"
#include "irk/hash.h"

void irk_sha256(const void *data, size_t len, uint8_t out[IRK_SHA256_LEN])
{
	SHA256(data, len, out);
}

struct irk_sha256_ctx {
	EVP_MD_CTX *md;
};

struct irk_sha256_ctx *irk_sha256_begin(void)
{
	struct irk_sha256_ctx *c = irk_malloc(sizeof(*c));

	c->md = EVP_MD_CTX_new();
	if (!c->md || EVP_DigestInit_ex(c->md, EVP_sha256(), NULL) != 1)
		abort(); /* libcrypto without SHA-256: nothing irk can do */
	return c;
}

void irk_sha256_update(struct irk_sha256_ctx *c, const void *data, size_t len)
{
	EVP_DigestUpdate(c->md, data, len);
}

void irk_sha256_end(struct irk_sha256_ctx *c, uint8_t out[IRK_SHA256_LEN])
{
	unsigned int n = IRK_SHA256_LEN;

	EVP_DigestFinal_ex(c->md, out, &n);
	EVP_MD_CTX_free(c->md);
	free(c);
}

void irk_hex(const uint8_t *bin, size_t len, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < len; i++) {
		out[2 * i] = digits[bin[i] >> 4];
		out[2 * i + 1] = digits[bin[i] & 15];
	}
	out[2 * len] = '\0';
}

static int nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int irk_unhex(const char *hex, uint8_t *bin, size_t len)
{
	if (strlen(hex) != 2 * len)
		return -1;
	for (size_t i = 0; i < len; i++) {
		int hi = nibble(hex[2 * i]), lo = nibble(hex[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		bin[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

size_t irk_b64_len(size_t n)
{
	return sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL);
}

void irk_b64(const uint8_t *bin, size_t len, char *out)
{
	sodium_bin2base64(out, irk_b64_len(len), bin, len, sodium_base64_VARIANT_ORIGINAL);
}

long irk_unb64(const char *b64, size_t b64len, uint8_t *bin, size_t max)
{
	size_t n = 0;
	const char *end = NULL;

	if (sodium_base642bin(bin, max, b64, b64len, NULL, &n, &end,
			      sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    end != b64 + b64len)
		return -1;
	return (long)n;
}
