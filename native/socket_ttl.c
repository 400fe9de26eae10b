/*
 * IP TTL / IPv6 hop limit of a connected socket, which Node's net module cannot set: `serve --hop-limit`
 * uses it so that its responses die after that many hops, as EC2's IMDS hop limit does.
 */
#include <errno.h>
#include <netinet/in.h>
#include <node_api.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

static int family_of(int fd) {
  struct sockaddr_storage address;
  socklen_t length = sizeof address;
  if (getsockname(fd, (struct sockaddr *)&address, &length) != 0) return -1;
  return address.ss_family;
}

static napi_value throw_errno(napi_env env, const char *what) {
  char message[160];
  snprintf(message, sizeof message, "%s: %s", what, strerror(errno));
  napi_throw_error(env, NULL, message);
  return NULL;
}

static int read_ints(napi_env env, napi_callback_info info, int32_t *values, size_t count) {
  size_t argc = count;
  napi_value argv[2];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < count) return 0;
  for (size_t i = 0; i < count; i++) {
    if (napi_get_value_int32(env, argv[i], &values[i]) != napi_ok) return 0;
  }
  return 1;
}

/*
 * setHopLimit(fd, hops): IP_TTL for IPv4 sockets; IPV6_UNICAST_HOPS for IPv6 ones, and IP_TTL as well, which a
 * dual-stack socket (`--bind ::`) uses with IPv4 clients (Linux takes it; a system that refuses it on an IPv6
 * socket has no IPv4 traffic on one).
 */
static napi_value set_hop_limit(napi_env env, napi_callback_info info) {
  int32_t values[2];
  if (!read_ints(env, info, values, 2)) {
    napi_throw_type_error(env, NULL, "setHopLimit(fd, hops) takes two integers");
    return NULL;
  }
  int fd = values[0], hops = values[1];
  int family = family_of(fd);
  if (family < 0) return throw_errno(env, "getsockname");
  if (family == AF_INET6) {
    if (setsockopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &hops, sizeof hops) != 0) return throw_errno(env, "setsockopt");
    if (setsockopt(fd, IPPROTO_IP, IP_TTL, &hops, sizeof hops) != 0 && errno != ENOPROTOOPT && errno != EINVAL) {
      return throw_errno(env, "setsockopt");
    }
    return NULL;
  }
  if (setsockopt(fd, IPPROTO_IP, IP_TTL, &hops, sizeof hops) != 0) return throw_errno(env, "setsockopt");
  return NULL;
}

/* getHopLimit(fd): the value in effect, to check it was applied. */
static napi_value get_hop_limit(napi_env env, napi_callback_info info) {
  int32_t fd;
  if (!read_ints(env, info, &fd, 1)) {
    napi_throw_type_error(env, NULL, "getHopLimit(fd) takes an integer");
    return NULL;
  }
  int family = family_of(fd);
  if (family < 0) return throw_errno(env, "getsockname");
  int hops = 0;
  socklen_t length = sizeof hops;
  int rc = family == AF_INET6 ? getsockopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &hops, &length)
                              : getsockopt(fd, IPPROTO_IP, IP_TTL, &hops, &length);
  if (rc != 0) return throw_errno(env, "getsockopt");
  napi_value result;
  napi_create_int32(env, hops, &result);
  return result;
}

NAPI_MODULE_INIT() {
  napi_property_descriptor properties[] = {
      {"setHopLimit", NULL, set_hop_limit, NULL, NULL, NULL, napi_default, NULL},
      {"getHopLimit", NULL, get_hop_limit, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, 2, properties);
  return exports;
}
