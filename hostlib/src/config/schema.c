/* SPDX-License-Identifier: Apache-2.0 */
/* The JSON schema of the Azure resource types the loader reads, and Azure's naming rules
 * (design in schema.h). The key lists follow the Microsoft.Network REST API (2024-05) and what
 * `az network ... list/show` prints; keys the loader does not read are NSG_JANY. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "schema.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define SCHEMA(name, what_, arm_, ...)                                             \
  static const struct nsg_jfield name##_fields[] = {__VA_ARGS__};                \
  const struct nsg_jschema name = {what_, name##_fields, N(name##_fields), arm_}

/* Top-level keys of every ARM resource (REST, az CLI, ARM templates). */
static const struct nsg_jfield common[] = {
    {"id", NSG_JSTR},          {"name", NSG_JSTR},      {"type", NSG_JSTR},          {"etag", NSG_JANY},
    {"location", NSG_JANY},    {"tags", NSG_JANY},      {"properties", NSG_JOBJ},    {"resourceGroup", NSG_JANY},
    {"subscriptionId", NSG_JANY}, {"apiVersion", NSG_JANY}, {"dependsOn", NSG_JANY}, {"comments", NSG_JANY},
    {"condition", NSG_JANY},   {"copy", NSG_JANY},      {"scope", NSG_JANY},         {"sku", NSG_JANY},
    {"zones", NSG_JANY},       {"kind", NSG_JANY},      {"extendedLocation", NSG_JANY}, {"managedBy", NSG_JANY},
    {"identity", NSG_JANY},    {"systemData", NSG_JANY}, {"plan", NSG_JANY},
};

SCHEMA(nsg_schema_nsg, "network security group", true,
       {"securityRules", NSG_JARR}, {"defaultSecurityRules", NSG_JARR}, {"flushConnection", NSG_JBOOL},
       {"networkInterfaces", NSG_JANY}, {"subnets", NSG_JANY}, {"flowLogs", NSG_JANY},
       {"resourceGuid", NSG_JANY}, {"provisioningState", NSG_JANY});

SCHEMA(nsg_schema_rule, "security rule", true,
       {"description", NSG_JSTR}, {"protocol", NSG_JSTR}, {"sourcePortRange", NSG_JSTR},
       {"destinationPortRange", NSG_JSTR}, {"sourceAddressPrefix", NSG_JSTR},
       {"sourceAddressPrefixes", NSG_JARR}, {"sourceApplicationSecurityGroups", NSG_JARR},
       {"destinationAddressPrefix", NSG_JSTR}, {"destinationAddressPrefixes", NSG_JARR},
       {"destinationApplicationSecurityGroups", NSG_JARR}, {"sourcePortRanges", NSG_JARR},
       {"destinationPortRanges", NSG_JARR}, {"access", NSG_JSTR}, {"priority", NSG_JINT},
       {"direction", NSG_JSTR}, {"provisioningState", NSG_JANY});

SCHEMA(nsg_schema_vnet, "virtual network", true,
       {"addressSpace", NSG_JOBJ}, {"subnets", NSG_JARR}, {"virtualNetworkPeerings", NSG_JARR},
       {"flowTimeoutInMinutes", NSG_JINT}, {"dhcpOptions", NSG_JANY}, {"resourceGuid", NSG_JANY},
       {"provisioningState", NSG_JANY}, {"enableDdosProtection", NSG_JANY}, {"enableVmProtection", NSG_JANY},
       {"ddosProtectionPlan", NSG_JANY}, {"bgpCommunities", NSG_JANY}, {"encryption", NSG_JANY},
       {"ipAllocations", NSG_JANY}, {"flowLogs", NSG_JANY}, {"privateEndpointVNetPolicies", NSG_JANY},
       {"defaultPublicNatGateway", NSG_JANY});

SCHEMA(nsg_schema_address_space, "address space", false,
       {"addressPrefixes", NSG_JARR}, {"ipamPoolPrefixAllocations", NSG_JANY});

SCHEMA(nsg_schema_subnet, "subnet", true,
       {"addressPrefix", NSG_JSTR}, {"addressPrefixes", NSG_JARR}, {"networkSecurityGroup", NSG_JREF},
       {"routeTable", NSG_JANY}, {"natGateway", NSG_JANY}, {"serviceEndpoints", NSG_JANY},
       {"serviceEndpointPolicies", NSG_JANY}, {"privateEndpoints", NSG_JANY}, {"ipConfigurations", NSG_JANY},
       {"ipConfigurationProfiles", NSG_JANY}, {"ipAllocations", NSG_JANY}, {"resourceNavigationLinks", NSG_JANY},
       {"serviceAssociationLinks", NSG_JANY}, {"delegations", NSG_JANY}, {"purpose", NSG_JANY},
       {"provisioningState", NSG_JANY}, {"privateEndpointNetworkPolicies", NSG_JANY},
       {"privateLinkServiceNetworkPolicies", NSG_JANY}, {"applicationGatewayIPConfigurations", NSG_JANY},
       {"sharingScope", NSG_JANY}, {"defaultOutboundAccess", NSG_JANY}, {"ipamPoolPrefixAllocations", NSG_JANY});

SCHEMA(nsg_schema_peering, "virtual network peering", true,
       {"remoteVirtualNetwork", NSG_JREF}, {"remoteAddressSpace", NSG_JOBJ}, {"peeringState", NSG_JSTR},
       {"allowVirtualNetworkAccess", NSG_JANY}, {"allowForwardedTraffic", NSG_JANY},
       {"allowGatewayTransit", NSG_JANY}, {"useRemoteGateways", NSG_JANY}, {"localAddressSpace", NSG_JANY},
       {"localVirtualNetworkAddressSpace", NSG_JANY}, {"remoteVirtualNetworkAddressSpace", NSG_JANY},
       {"remoteBgpCommunities", NSG_JANY}, {"remoteVirtualNetworkEncryption", NSG_JANY},
       {"peeringSyncLevel", NSG_JANY}, {"provisioningState", NSG_JANY}, {"doNotVerifyRemoteGateways", NSG_JANY},
       {"resourceGuid", NSG_JANY}, {"peerCompleteVnets", NSG_JANY}, {"enableOnlyIPv6Peering", NSG_JANY},
       {"localSubnetNames", NSG_JANY}, {"remoteSubnetNames", NSG_JANY});

SCHEMA(nsg_schema_nic, "network interface", true,
       {"networkSecurityGroup", NSG_JREF}, {"ipConfigurations", NSG_JARR}, {"virtualMachine", NSG_JANY},
       {"privateEndpoint", NSG_JANY}, {"tapConfigurations", NSG_JANY}, {"dnsSettings", NSG_JANY},
       {"macAddress", NSG_JANY}, {"primary", NSG_JANY}, {"vnetEncryptionSupported", NSG_JANY},
       {"defaultOutboundConnectivityEnabled", NSG_JANY}, {"enableAcceleratedNetworking", NSG_JANY},
       {"disableTcpStateTracking", NSG_JANY}, {"enableIPForwarding", NSG_JANY}, {"hostedWorkloads", NSG_JANY},
       {"dscpConfiguration", NSG_JANY}, {"resourceGuid", NSG_JANY}, {"provisioningState", NSG_JANY},
       {"workloadType", NSG_JANY}, {"nicType", NSG_JANY}, {"privateLinkService", NSG_JANY},
       {"migrationPhase", NSG_JANY}, {"auxiliaryMode", NSG_JANY}, {"auxiliarySku", NSG_JANY});

SCHEMA(nsg_schema_ipconfig, "IP configuration", true,
       {"privateIPAddress", NSG_JSTR}, {"subnet", NSG_JREF}, {"applicationSecurityGroups", NSG_JARR},
       {"gatewayLoadBalancer", NSG_JANY}, {"virtualNetworkTaps", NSG_JANY},
       {"applicationGatewayBackendAddressPools", NSG_JANY}, {"loadBalancerBackendAddressPools", NSG_JANY},
       {"loadBalancerInboundNatRules", NSG_JANY}, {"privateIPAddressPrefixLength", NSG_JANY},
       {"privateIPAllocationMethod", NSG_JANY}, {"privateIPAddressVersion", NSG_JANY}, {"primary", NSG_JANY},
       {"publicIPAddress", NSG_JANY}, {"provisioningState", NSG_JANY},
       {"privateLinkConnectionProperties", NSG_JANY});

SCHEMA(nsg_schema_asg, "application security group", true,
       {"resourceGuid", NSG_JANY}, {"provisioningState", NSG_JANY});

SCHEMA(nsg_schema_lng, "local network gateway", true,
       {"localNetworkAddressSpace", NSG_JOBJ}, {"gatewayIpAddress", NSG_JANY}, {"fqdn", NSG_JANY},
       {"bgpSettings", NSG_JANY}, {"resourceGuid", NSG_JANY}, {"provisioningState", NSG_JANY});

SCHEMA(nsg_schema_vgw, "virtual network gateway", true,
       {"ipConfigurations", NSG_JARR}, {"gatewayType", NSG_JANY}, {"vpnType", NSG_JANY},
       {"vpnGatewayGeneration", NSG_JANY}, {"enableBgp", NSG_JANY}, {"enablePrivateIpAddress", NSG_JANY},
       {"activeActive", NSG_JANY}, {"disableIPSecReplayProtection", NSG_JANY}, {"gatewayDefaultSite", NSG_JANY},
       {"vpnClientConfiguration", NSG_JANY}, {"virtualNetworkGatewayPolicyGroups", NSG_JANY},
       {"bgpSettings", NSG_JANY}, {"customRoutes", NSG_JANY}, {"resourceGuid", NSG_JANY},
       {"provisioningState", NSG_JANY}, {"enableDnsForwarding", NSG_JANY},
       {"inboundDnsForwardingEndpoint", NSG_JANY}, {"vNetExtendedLocationResourceId", NSG_JANY},
       {"natRules", NSG_JANY}, {"enableBgpRouteTranslationForNat", NSG_JANY},
       {"allowVirtualWanTraffic", NSG_JANY}, {"allowRemoteVnetTraffic", NSG_JANY}, {"adminState", NSG_JANY},
       {"resiliencyModel", NSG_JANY}, {"autoScaleConfiguration", NSG_JANY},
       {"enableHighBandwidthVpnGateway", NSG_JANY});

SCHEMA(nsg_schema_conn, "connection", true,
       {"virtualNetworkGateway1", NSG_JREF}, {"virtualNetworkGateway2", NSG_JREF},
       {"localNetworkGateway2", NSG_JREF}, {"connectionType", NSG_JANY}, {"connectionProtocol", NSG_JANY},
       {"routingWeight", NSG_JANY}, {"dpdTimeoutSeconds", NSG_JANY}, {"connectionMode", NSG_JANY},
       {"sharedKey", NSG_JANY}, {"connectionStatus", NSG_JANY}, {"tunnelConnectionStatus", NSG_JANY},
       {"egressBytesTransferred", NSG_JANY}, {"ingressBytesTransferred", NSG_JANY}, {"peer", NSG_JANY},
       {"enableBgp", NSG_JANY}, {"gatewayCustomBgpIpAddresses", NSG_JANY},
       {"useLocalAzureIpAddress", NSG_JANY}, {"usePolicyBasedTrafficSelectors", NSG_JANY},
       {"ipsecPolicies", NSG_JANY}, {"trafficSelectorPolicies", NSG_JANY}, {"resourceGuid", NSG_JANY},
       {"provisioningState", NSG_JANY}, {"expressRouteGatewayBypass", NSG_JANY},
       {"enablePrivateLinkFastPath", NSG_JANY}, {"authorizationKey", NSG_JANY}, {"ingressNatRules", NSG_JANY},
       {"egressNatRules", NSG_JANY}, {"authenticationType", NSG_JANY}, {"certificateAuthentication", NSG_JANY});

SCHEMA(nsg_schema_rtable, "route table", true,
       {"routes", NSG_JARR}, {"disableBgpRoutePropagation", NSG_JANY}, {"subnets", NSG_JANY},
       {"resourceGuid", NSG_JANY}, {"provisioningState", NSG_JANY});

/* Azure's Service Tags file (ServiceTags_Public_*.json, az network list-service-tags). */
SCHEMA(nsg_schema_tags_file, "service tags file", false,
       {"values", NSG_JARR}, {"changeNumber", NSG_JANY}, {"cloud", NSG_JANY}, {"id", NSG_JANY},
       {"name", NSG_JANY}, {"type", NSG_JANY}, {"nextLink", NSG_JANY});
SCHEMA(nsg_schema_tag, "service tag", false,
       {"name", NSG_JSTR}, {"id", NSG_JANY}, {"properties", NSG_JOBJ}, {"serviceTagChangeNumber", NSG_JANY});
SCHEMA(nsg_schema_tag_props, "service tag", false,
       {"addressPrefixes", NSG_JARR}, {"changeNumber", NSG_JANY}, {"region", NSG_JANY}, {"regionId", NSG_JANY},
       {"platform", NSG_JANY}, {"systemService", NSG_JANY}, {"networkFeatures", NSG_JANY},
       {"state", NSG_JANY});

/* ---- lookups -------------------------------------------------------------------------------- */

json_t *nsg_jget(json_t *obj, const char *key)
{
  if (!json_is_object(obj))
    return NULL;
  json_t *v = json_object_get(obj, key);
  if (v)
    return v;
  const char *k;
  json_object_foreach(obj, k, v)
  {
    if (nsg_strcaseeq(k, key))
      return v;
  }
  return NULL;
}

/* Levenshtein distance of the lower-cased strings, capped at 3 (keys are short). */
static unsigned distance(const char *a, const char *b)
{
  size_t la = strlen(a), lb = strlen(b);
  if (la > 63 || lb > 63)
    return 3;
  unsigned d[64][64];
  for (size_t i = 0; i <= la; i++)
    d[i][0] = (unsigned)i;
  for (size_t j = 0; j <= lb; j++)
    d[0][j] = (unsigned)j;
  for (size_t i = 1; i <= la; i++)
    for (size_t j = 1; j <= lb; j++) {
      unsigned c = tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]);
      unsigned m = d[i - 1][j] + 1;
      if (d[i][j - 1] + 1 < m)
        m = d[i][j - 1] + 1;
      if (d[i - 1][j - 1] + c < m)
        m = d[i - 1][j - 1] + c;
      d[i][j] = m;
    }
  return d[la][lb] > 3 ? 3 : d[la][lb];
}

static const struct nsg_jfield *find_field(const struct nsg_jfield *f, size_t n, const char *key)
{
  for (size_t i = 0; i < n; i++)
    if (nsg_strcaseeq(f[i].key, key))
      return &f[i];
  return NULL;
}

/* A read key the unknown one probably meant (edit distance 2 or less on a key of 6 characters
 * or more), or NULL. */
static const char *near_miss(const struct nsg_jschema *s, const char *key)
{
  for (size_t i = 0; i < s->nprops; i++)
    if (s->props[i].type != NSG_JANY && strlen(s->props[i].key) >= 6 && distance(s->props[i].key, key) <= 2)
      return s->props[i].key;
  return NULL;
}

static const char *type_name(enum nsg_jtype t)
{
  switch (t) {
  case NSG_JSTR: return "a string";
  case NSG_JINT: return "an integer";
  case NSG_JBOOL: return "true or false";
  case NSG_JARR: return "an array";
  case NSG_JOBJ: return "an object";
  case NSG_JREF: return "a reference {\"id\": \"/subscriptions/...\"}";
  default: return "a value";
  }
}

static bool type_ok(enum nsg_jtype t, json_t *v)
{
  if (json_is_null(v))
    return true; /* Azure prints absent optional values as null */
  switch (t) {
  case NSG_JSTR: return json_is_string(v);
  case NSG_JINT: return json_is_integer(v);
  case NSG_JBOOL: return json_is_boolean(v);
  case NSG_JARR: return json_is_array(v);
  case NSG_JOBJ: return json_is_object(v);
  case NSG_JREF: return json_is_object(v) && json_is_string(json_object_get(v, "id"));
  default: return true;
  }
}

/* Checks the keys of one object level. `top`: the ARM top level (common keys, and the
 * properties flattened there by the az CLI). */
static unsigned check_level(struct nsg_config *cfg, const char *file, const char *res, const char *rule,
                            json_t *obj, const struct nsg_jschema *s, bool top, const char *prefix)
{
  unsigned errors = 0;
  const char *key;
  json_t *v;
  char field[160], kb[96];
  json_object_foreach(obj, key, v)
  {
    nsg_name_printable(key, kb, sizeof kb);
    snprintf(field, sizeof field, "%s%s", prefix, kb);
    const struct nsg_jfield *f = find_field(s->props, s->nprops, key);
    if (!f && top && s->arm)
      f = find_field(common, N(common), key);
    if (!f) {
      const char *near = near_miss(s, key);
      if (near) {
        nsg_diag(cfg, NSG_LOG_ERROR, file, res, rule, field,
                 "unknown key of a %s; did you mean '%s'? (nothing is read from '%s')", s->what, near, kb);
        errors++;
      } else {
        nsg_diag(cfg, NSG_LOG_WARNING, file, res, rule, field, "unknown key of a %s; ignored", s->what);
      }
      continue;
    }
    /* the same key twice in different cases: which one counts would be arbitrary */
    const char *k2;
    json_t *v2;
    json_object_foreach(obj, k2, v2)
    {
      if (k2 != key && strcmp(k2, key) < 0 && nsg_strcaseeq(k2, key)) {
        nsg_diag(cfg, NSG_LOG_ERROR, file, res, rule, field, "given twice, also as '%s' (keys are case-insensitive)",
                 k2);
        errors++;
      }
    }
    if (!type_ok(f->type, v)) {
      nsg_diag(cfg, NSG_LOG_ERROR, file, res, rule, field, "expected %s", type_name(f->type));
      errors++;
    }
  }
  return errors;
}

unsigned nsg_schema_check(struct nsg_config *cfg, const char *file, const char *res, const char *rule,
                          json_t *obj, const struct nsg_jschema *s)
{
  if (!json_is_object(obj))
    return 0; /* the caller reports a non-object */
  unsigned errors = check_level(cfg, file, res, rule, obj, s, true, "");
  json_t *p = s->arm ? nsg_jget(obj, "properties") : NULL;
  if (json_is_object(p))
    errors += check_level(cfg, file, res, rule, p, s, false, "properties.");
  return errors;
}

/* ---- names ---------------------------------------------------------------------------------- */

const struct nsg_name_rule nsg_name_nsg = {"network security group", 1, 80};
const struct nsg_name_rule nsg_name_rule_ = {"security rule", 1, 80};
/* Azure requires 2 characters; 1 is accepted (unambiguous, and our test topologies use "v") */
const struct nsg_name_rule nsg_name_vnet = {"virtual network", 1, 64};
const struct nsg_name_rule nsg_name_subnet = {"subnet", 1, 80};
const struct nsg_name_rule nsg_name_nic = {"network interface", 1, 80};
const struct nsg_name_rule nsg_name_asg = {"application security group", 1, 80};
const struct nsg_name_rule nsg_name_ipconfig = {"IP configuration", 1, 80};
const struct nsg_name_rule nsg_name_peering = {"virtual network peering", 1, 80};
const struct nsg_name_rule nsg_name_gateway = {"gateway or connection", 1, 80};
const struct nsg_name_rule nsg_name_tag = {"service tag", 1, 256};

/* Decodes one UTF-8 sequence (jansson has validated it); returns its length. */
static size_t utf8_next(const unsigned char *p, unsigned long *cp)
{
  if (p[0] < 0x80) {
    *cp = p[0];
    return 1;
  }
  size_t n = p[0] >= 0xf0 ? 4 : p[0] >= 0xe0 ? 3 : 2;
  unsigned long c = p[0] & (0x3fu >> (n - 1));
  for (size_t i = 1; i < n; i++) {
    if ((p[i] & 0xc0) != 0x80) { /* not valid UTF-8: one byte, an invalid code point */
      *cp = 0xfffd0000ul;
      return 1;
    }
    c = c << 6 | (p[i] & 0x3fu);
  }
  *cp = c;
  return n;
}

size_t nsg_utf8_len(const char *s)
{
  size_t n = 0;
  unsigned long cp;
  for (const unsigned char *p = (const unsigned char *)s; *p; p += utf8_next(p, &cp))
    n++;
  return n;
}

static bool is_control(unsigned long cp) { return cp < 0x20 || (cp >= 0x7f && cp < 0xa0); }

const char *nsg_name_problem(const char *name, const struct nsg_name_rule *r, char *buf, size_t n)
{
  size_t len = nsg_utf8_len(name);
  if (len < r->min || len > r->max) {
    if (len == 0)
      snprintf(buf, n, "is empty");
    else
      snprintf(buf, n, "is %zu characters long; at %s %u are allowed", len, len < r->min ? "least" : "most",
               len < r->min ? r->min : r->max);
    return buf;
  }
  unsigned long cp;
  bool first = true;
  char pn[300];
  const char *why = NULL;
  for (const unsigned char *p = (const unsigned char *)name; *p && !why; first = false) {
    p += utf8_next(p, &cp);
    /* letters and digits of any script (non-ASCII ones are taken as letters), '_', '.', '-' */
    bool alnum = cp >= 0xa0 && cp < 0xfffd0000ul ? true : cp < 0x80 && isalnum((int)cp);
    if (cp >= 0xfffd0000ul)
      why = "is not valid UTF-8";
    else if (is_control(cp))
      why = "contains a control character";
    else if (!alnum && cp != '_' && cp != '.' && cp != '-')
      why = "contains a character other than letters, digits, '_', '.' and '-'";
    else if (first && !alnum && cp != '_')
      why = "does not start with a letter, digit or '_'";
  }
  if (!why)
    return NULL;
  snprintf(buf, n, "'%s' %s (Azure's naming rule for a %s)", nsg_name_printable(name, pn, sizeof pn), why, r->what);
  return buf;
}

const char *nsg_name_printable(const char *s, char *buf, size_t n)
{
  size_t k = 0;
  if (n == 0)
    return buf;
  unsigned long cp;
  for (const unsigned char *p = (const unsigned char *)s; *p && k + 5 < n;) {
    size_t l = utf8_next(p, &cp);
    if (cp == '\\') {
      buf[k++] = '\\';
      buf[k++] = '\\';
    } else if (is_control(cp) || cp >= 0xfffd0000ul) {
      for (size_t i = 0; i < l && k + 5 < n; i++)
        k += (size_t)snprintf(buf + k, n - k, "\\x%02x", p[i]);
    } else {
      for (size_t i = 0; i < l && k + 1 < n; i++)
        buf[k++] = (char)p[i];
    }
    p += l;
  }
  buf[k] = '\0';
  return buf;
}
