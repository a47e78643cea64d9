/* libgssapi_krb5.so.2 for the runtime image: the functions libpq imports,
   each failing as on a machine without Kerberos credentials (README.md). */
#include <stddef.h>
#include <stdint.h>

typedef uint32_t OM_uint32;
typedef struct {
  size_t length;
  void* value;
} gss_buffer_desc;

#define GSS_S_COMPLETE 0u
#define GSS_S_FAILURE (13u << 16)

/* gss_OID: the name type libpq passes to gss_import_name (never dereferenced here). */
void* GSS_C_NT_HOSTBASED_SERVICE = NULL;

static OM_uint32 fail(OM_uint32* minor) {
  if (minor) *minor = 0;
  return GSS_S_FAILURE;
}

OM_uint32 gss_acquire_cred(OM_uint32* minor, void* name, OM_uint32 time, void* mechs, int usage,
                           void** cred, void** actual_mechs, OM_uint32* time_rec) {
  (void)name, (void)time, (void)mechs, (void)usage, (void)actual_mechs, (void)time_rec;
  if (cred) *cred = NULL;
  return fail(minor);
}

OM_uint32 gss_import_name(OM_uint32* minor, void* buffer, void* type, void** name) {
  (void)buffer, (void)type;
  if (name) *name = NULL;
  return fail(minor);
}

OM_uint32 gss_init_sec_context(OM_uint32* minor, void* cred, void** context, void* target,
                               void* mech, OM_uint32 flags, OM_uint32 time, void* bindings,
                               void* input, void** actual_mech, gss_buffer_desc* output,
                               OM_uint32* ret_flags, OM_uint32* time_rec) {
  (void)cred, (void)context, (void)target, (void)mech, (void)flags, (void)time, (void)bindings;
  (void)input, (void)actual_mech, (void)ret_flags, (void)time_rec;
  if (output) output->length = 0, output->value = NULL;
  return fail(minor);
}

OM_uint32 gss_display_status(OM_uint32* minor, OM_uint32 status, int type, void* mech,
                             OM_uint32* message_context, gss_buffer_desc* text) {
  static char message[] = "GSSAPI is not available in this image";
  (void)status, (void)type, (void)mech;
  if (minor) *minor = 0;
  if (message_context) *message_context = 0;
  if (text) text->length = sizeof message - 1, text->value = message;
  return GSS_S_COMPLETE;
}

/* Buffers handed out here are static or empty: nothing to free. */
OM_uint32 gss_release_buffer(OM_uint32* minor, gss_buffer_desc* buffer) {
  if (minor) *minor = 0;
  if (buffer) buffer->length = 0, buffer->value = NULL;
  return GSS_S_COMPLETE;
}

OM_uint32 gss_release_cred(OM_uint32* minor, void** cred) {
  if (cred) *cred = NULL;
  if (minor) *minor = 0;
  return GSS_S_COMPLETE;
}

OM_uint32 gss_release_name(OM_uint32* minor, void** name) {
  if (name) *name = NULL;
  if (minor) *minor = 0;
  return GSS_S_COMPLETE;
}

OM_uint32 gss_delete_sec_context(OM_uint32* minor, void** context, gss_buffer_desc* output) {
  if (context) *context = NULL;
  if (output) output->length = 0, output->value = NULL;
  if (minor) *minor = 0;
  return GSS_S_COMPLETE;
}

OM_uint32 gss_wrap(OM_uint32* minor, void* context, int conf, OM_uint32 qop, void* input,
                   int* conf_state, gss_buffer_desc* output) {
  (void)context, (void)conf, (void)qop, (void)input, (void)conf_state;
  if (output) output->length = 0, output->value = NULL;
  return fail(minor);
}

OM_uint32 gss_unwrap(OM_uint32* minor, void* context, void* input, gss_buffer_desc* output,
                     int* conf_state, OM_uint32* qop) {
  (void)context, (void)input, (void)conf_state, (void)qop;
  if (output) output->length = 0, output->value = NULL;
  return fail(minor);
}

OM_uint32 gss_wrap_size_limit(OM_uint32* minor, void* context, int conf, OM_uint32 qop,
                              OM_uint32 size, OM_uint32* max_input) {
  (void)context, (void)conf, (void)qop, (void)size;
  if (max_input) *max_input = 0;
  return fail(minor);
}
