/* fact.c — names of fact types, as the JSONL "type" field spells them. */
#include <consentry/fact.h>

#include <stddef.h>

static const char *const type_names[] = {
    [CS_FACT_MEMBER] = "member",
    [CS_FACT_LOCATION] = "location",
    [CS_FACT_SETTING] = "setting",
    [CS_FACT_OBJECTION] = "objection",
    [CS_FACT_POLICY] = "policy",
    [CS_FACT_CONTENT_DELETED] = "content_deleted",
    [CS_FACT_ACCOUNT_CLOSED] = "account_closed",
};

const char *cs_fact_type_name(cs_fact_type_t t) {
  if ((int)t < CS_FACT_MEMBER || (int)t > CS_FACT_ACCOUNT_CLOSED) return NULL;
  return type_names[t];
}
