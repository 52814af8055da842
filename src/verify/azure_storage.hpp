// Azure storage account keys: a Shared Key-signed read of the blob service's properties
// (GET ?restype=service&comp=properties), which changes nothing and needs the account key.
#pragma once

#include <string>

#include "vault/http.hpp"

namespace keyhound {

// Empty url when the key is not base64 or the account name is not a storage account name.
HttpRequest build_azure_storage_call(const std::string& account, const std::string& account_key);

}  // namespace keyhound
