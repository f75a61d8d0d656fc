// The context keys a policy document refers to, for IAM's
// GetContextKeysForCustomPolicy and GetContextKeysForPrincipalPolicy: every
// key of its Condition blocks and every policy variable, as written.
#pragma once

#include <string>
#include <vector>

#include "iamlocal/policy/document.h"

namespace iamlocal::policy {

// Appends the context keys `document` uses to `keys`, statement by statement
// in the order the elements are written, skipping keys already in `keys`
// (context keys compare case-insensitively; the first spelling stays).
// Variables count only where they are substituted (Version 2012-10-17).
void appendContextKeys(const Document& document, std::vector<std::string>& keys);

}  // namespace iamlocal::policy
