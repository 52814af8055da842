// libgit2's initialization skips its CA bundle, and only that: other callers of mbedTLS's
// certificate parser reach mbedTLS.
#include <gtest/gtest.h>
#if KEYHOUND_MBEDTLS_INTERPOSE
#include <mbedtls/x509_crt.h>
#endif

#include <fstream>

#include "git/handles.hpp"
#include "support/support.hpp"

namespace keyhound {
namespace {

TEST(GitLibrary, InitializedOncePerProcess) {
  {
    GitLibrary library;
    GitLibrary again;
  }
  GitLibrary after_the_first_went;
  EXPECT_EQ(libgit2_initializations(), 1);
  EXPECT_GE(git_libgit2_init(), 2);  // still initialised: this call only counts up
  git_libgit2_shutdown();
}

#if KEYHOUND_MBEDTLS_INTERPOSE
// A synthetic self-signed certificate (its key was thrown away when it was made).
constexpr const char* kCertificate = R"(-----BEGIN CERTIFICATE-----
MIIBnzCCAUWgAwIBAgIUPJ99NVdj+FGX2U7Ee7GZZRp631AwCgYIKoZIzj0EAwIw
JDEiMCAGA1UEAwwZa2V5aG91bmQgdGVzdCBjZXJ0aWZpY2F0ZTAgFw0yNjExMjkx
MzU0MTBaGA8yMTI2MTEwNTEzNTQxMFowJDEiMCAGA1UEAwwZa2V5aG91bmQgdGVz
dCBjZXJ0aWZpY2F0ZTBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABAYEmhYJW5rP
KCVNW9actCA5rjtUJZFmdXoYFwtgrS/VwYU7zOrBffRaKCNtRd0v1MTojKeQQSJi
bV7HMeqP2HujUzBRMB0GA1UdDgQWBBSdpWxJx68DkrbkFLXvasXSZ0ti5DAfBgNV
HSMEGDAWgBSdpWxJx68DkrbkFLXvasXSZ0ti5DAPBgNVHRMBAf8EBTADAQH/MAoG
CCqGSM49BAMCA0gAMEUCIQCTbd7j+qBkCAoOCLzdIK+NVRQs7khrcyeihKqU3YLY
kwIgVT9/d/qKM5nlKKPWVNWsedN3m1snR9QSO/uYHLSQ3Qw=
-----END CERTIFICATE-----
)";

TEST(GitLibrary, FirstInitializationSkipsTheCaBundleOnly) {
  // Each test runs in a process of its own (ctest), so this is libgit2's first initialization.
  // Debian's libgit2 is built with mbedTLS, whose parser is the one replaced.
  int before = skipped_certificate_loads();
  {
    GitLibrary library;
    EXPECT_EQ(skipped_certificate_loads(), before + 1);
    GitLibrary again;  // already initialized: nothing more is loaded
    EXPECT_EQ(skipped_certificate_loads(), before + 1);
  }

  testing::TempDir dir;
  std::ofstream(dir.path() / "test.pem") << kCertificate;
  std::ofstream(dir.path() / "broken.pem")
      << "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n";
  mbedtls_x509_crt chain;
  mbedtls_x509_crt_init(&chain);
  EXPECT_EQ(mbedtls_x509_crt_parse_file(&chain, (dir.path() / "test.pem").c_str()), 0);
  ASSERT_GT(chain.raw.len, 0u);
  char subject[128];
  ASSERT_GT(mbedtls_x509_dn_gets(subject, sizeof subject, &chain.subject), 0);
  EXPECT_STREQ(subject, "CN=keyhound test certificate");
  // mbedTLS's own errors come back unchanged: a damaged PEM, a missing file.
  mbedtls_x509_crt broken;
  mbedtls_x509_crt_init(&broken);
  int damaged = mbedtls_x509_crt_parse_file(&broken, (dir.path() / "broken.pem").c_str());
  EXPECT_LT(damaged, 0);
  EXPECT_NE(damaged, MBEDTLS_ERR_PK_FILE_IO_ERROR);
  EXPECT_EQ(mbedtls_x509_crt_parse_file(&broken, (dir.path() / "missing.pem").c_str()),
            MBEDTLS_ERR_PK_FILE_IO_ERROR);
  mbedtls_x509_crt_free(&broken);
  mbedtls_x509_crt_free(&chain);
  EXPECT_EQ(skipped_certificate_loads(), before + 1);
}

#else
TEST(GitLibrary, FirstInitializationSkipsTheCaBundleOnly) {
  EXPECT_FALSE(skips_certificate_load());
  GTEST_SKIP() << "built with KEYHOUND_MBEDTLS_INTERPOSE=OFF: libgit2 loads its CA bundle, nothing to test";
}
#endif

}  // namespace
}  // namespace keyhound
