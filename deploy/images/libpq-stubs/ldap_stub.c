/* libldap-2.5.so.0 for the runtime image: the functions libpq imports for
   ldap:// service lookups, each failing (README.md). */
#include <stddef.h>

#define LDAP_SERVER_DOWN (-1)

void* ldap_init(const char* host, int port) {
  (void)host, (void)port;
  return NULL; /* libpq: "could not create LDAP structure" */
}
int ldap_set_option(void* ld, int option, const void* value) {
  (void)ld, (void)option, (void)value;
  return LDAP_SERVER_DOWN;
}
int ldap_simple_bind(void* ld, const char* who, const char* password) {
  (void)ld, (void)who, (void)password;
  return -1;
}
int ldap_result(void* ld, int id, int all, void* timeout, void** result) {
  (void)ld, (void)id, (void)all, (void)timeout;
  if (result) *result = NULL;
  return -1;
}
int ldap_search_st(void* ld, const char* base, int scope, const char* filter, char** attrs,
                   int attrs_only, void* timeout, void** result) {
  (void)ld, (void)base, (void)scope, (void)filter, (void)attrs, (void)attrs_only, (void)timeout;
  if (result) *result = NULL;
  return LDAP_SERVER_DOWN;
}
int ldap_count_entries(void* ld, void* result) {
  (void)ld, (void)result;
  return -1;
}
void* ldap_first_entry(void* ld, void* result) {
  (void)ld, (void)result;
  return NULL;
}
void** ldap_get_values_len(void* ld, void* entry, const char* attribute) {
  (void)ld, (void)entry, (void)attribute;
  return NULL;
}
void ldap_value_free_len(void** values) { (void)values; }
int ldap_msgfree(void* message) {
  (void)message;
  return 0;
}
int ldap_unbind(void* ld) {
  (void)ld;
  return 0;
}
char* ldap_err2string(int error) {
  static char message[] = "LDAP is not available in this image";
  (void)error;
  return message;
}
