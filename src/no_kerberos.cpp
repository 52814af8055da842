// With KEYHOUND_STATIC_DEPS (linked after libgit2's archive): the GSS-API functions libgit2 names, for its
// HTTP "Negotiate" (Kerberos) authentication, answered "unavailable" instead of loading MIT Kerberos.
//
// keyhound never opens a libgit2 network transport, yet linking Debian's libgit2 archive needs
// these symbols, and libgssapi_krb5 brought six more shared libraries (krb5, k5crypto, com_err,
// krb5support, keyutils, resolv) into every run: about 60 page faults and 1-2 ms of a pre-commit
// hook. Were a transport ever asked for Negotiate, libgit2 would report that no mechanism is
// available (GSS_S_FAILURE) rather than authenticate.
#include <cstdint>

namespace {
constexpr std::uint32_t kFailure = std::uint32_t{13} << 16;  // GSS_S_FAILURE

std::uint32_t unavailable(std::uint32_t* minor_status) {
  if (minor_status) *minor_status = 0;
  return kFailure;
}
}  // namespace

extern "C" {
void* GSS_C_NT_HOSTBASED_SERVICE = nullptr;

std::uint32_t gss_indicate_mechs(std::uint32_t* minor, void** mechanisms) {
  if (mechanisms) *mechanisms = nullptr;
  return unavailable(minor);
}
std::uint32_t gss_import_name(std::uint32_t* minor, const void*, const void*, void** name) {
  if (name) *name = nullptr;
  return unavailable(minor);
}
std::uint32_t gss_init_sec_context(std::uint32_t* minor, const void*, void**, const void*, const void*,
                                   std::uint32_t, std::uint32_t, const void*, const void*, void**, void*,
                                   std::uint32_t*, std::uint32_t*) {
  return unavailable(minor);
}
std::uint32_t gss_display_status(std::uint32_t* minor, std::uint32_t, int, const void*, std::uint32_t*,
                                 void*) {
  return unavailable(minor);
}
// Nothing was ever made: releasing is a no-op that succeeds.
std::uint32_t gss_delete_sec_context(std::uint32_t* minor, void**, void*) {
  if (minor) *minor = 0;
  return 0;
}
std::uint32_t gss_release_buffer(std::uint32_t* minor, void*) {
  if (minor) *minor = 0;
  return 0;
}
std::uint32_t gss_release_name(std::uint32_t* minor, void**) {
  if (minor) *minor = 0;
  return 0;
}
std::uint32_t gss_release_oid_set(std::uint32_t* minor, void**) {
  if (minor) *minor = 0;
  return 0;
}
}
