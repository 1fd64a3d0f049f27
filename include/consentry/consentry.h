/* consentry.h — libconsentry, the whole public API.
 *
 * consentry lets a network train generative AI on what its members write only
 * as far as each member allows, and prove it. See docs/ARCHITECTURE.md.
 *
 * Ownership, stated once for the whole library:
 *  - Objects a function returns through an out parameter belong to the caller
 *    and are released with the matching cs_*_free/close function; every such
 *    function accepts NULL.
 *  - Pointer arguments are borrowed for the duration of the call only, unless
 *    a header says otherwise where it happens.
 *  - Functions return CS_OK (0) or a negative cs_err_t; on failure they leave
 *    their out parameters and any store unchanged. The library never exits,
 *    aborts or prints; the CLI decides what the user sees.
 */
#ifndef CONSENTRY_H
#define CONSENTRY_H

#include <consentry/afile.h>
#include <consentry/country.h>
#include <consentry/dataset.h>
#include <consentry/error.h>
#include <consentry/fact.h>
#include <consentry/gate.h>
#include <consentry/ledger.h>
#include <consentry/merkle.h>
#include <consentry/model.h>
#include <consentry/policy.h>
#include <consentry/redact.h>
#include <consentry/server.h>
#include <consentry/shard.h>
#include <consentry/store.h>
#include <consentry/synth.h>
#include <consentry/time.h>
#include <consentry/tokenizer.h>
#include <consentry/train.h>

#endif
