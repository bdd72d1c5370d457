/* test-merkle.c - the tree hash against RFC 6962 test vectors and a recursive reference. */
#include <stdlib.h>

#include "irk/merkle.h"
#include "unit.h"

/* The certificate-transparency project's reference inputs and roots for 0..8 leaves. */
static const char *const inputs[] = { "", "00", "10", "2021", "3031", "40414243",
				      "5051525354555657", "606162636465666768696a6b6c6d6e6f" };
static const char *const roots[] = {
	"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
	"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
	"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
	"aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
	"d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
	"4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
	"76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
	"ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
	"5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
};

TEST(rfc6962_vectors)
{
	for (int n = 0; n <= 8; n++) {
		struct irk_merkle m;
		uint8_t root[32], leaf[16];
		char hex[65];

		irk_merkle_init(&m);
		for (int i = 0; i < n; i++) {
			size_t len = strlen(inputs[i]) / 2;
			CHECK(irk_unhex(inputs[i], leaf, len) == 0);
			irk_merkle_add(&m, leaf, len);
		}
		irk_merkle_root(&m, root);
		irk_hex(root, 32, hex);
		CHECK_STR(hex, roots[n]);
	}
}

/* Reference: MTH(D[0:n]) by the RFC's recursive definition. */
static void mth(uint8_t (*leaves)[32], size_t n, uint8_t out[32])
{
	uint8_t buf[65], l[32], r[32];
	size_t k = 1;

	if (n == 1) {
		buf[0] = 0;
		memcpy(buf + 1, leaves[0], 32);
		irk_sha256(buf, 33, out);
		return;
	}
	while (k * 2 < n)
		k *= 2;
	mth(leaves, k, l);
	mth(leaves + k, n - k, r);
	buf[0] = 1;
	memcpy(buf + 1, l, 32);
	memcpy(buf + 33, r, 32);
	irk_sha256(buf, 65, out);
}

TEST(matches_recursive_definition)
{
	static uint8_t leaves[300][32];
	struct irk_merkle m;

	irk_merkle_init(&m);
	for (size_t n = 1; n <= 300; n++) {
		uint8_t a[32], b[32];
		irk_sha256(&n, sizeof(n), leaves[n - 1]);
		irk_merkle_add(&m, leaves[n - 1], 32);
		irk_merkle_root(&m, a);
		mth(leaves, n, b);
		CHECK(memcmp(a, b, 32) == 0);
	}
}

int main(void)
{
	RUN(rfc6962_vectors);
	RUN(matches_recursive_definition);
	return unit_done();
}
