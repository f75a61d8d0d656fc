// Secret material: secret access keys, session tokens, metadata-service
// tokens. Unlike ids (which need only be unique) these must be unguessable,
// so they come from a CSPRNG seeded by the kernel's.
#pragma once

#include <cstddef>
#include <string>

namespace iamlocal::auth {

// `n` characters of [A-Za-z0-9+/], each carrying six random bits.
std::string secretChars(std::size_t n);
// 40 of them: a secret access key.
std::string secretAccessKey();

}  // namespace iamlocal::auth
