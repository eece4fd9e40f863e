// The HTTP surface of the inventory (DESIGN §6), mounted under the agent's API prefix:
//   GET  {prefix}/inventory/instances        applicant: own instances  {items, next_cursor}
//   GET  {prefix}/inventory/domains          applicant: own domains    {items, next_cursor}
//   POST {prefix}/admin/inventory/instances  admin: add an instance to owner_email's account
//   POST {prefix}/admin/inventory/domains    admin: add a domain to owner_email's account
// Lists take `limit` (1…1000, default 100) and `cursor`. Handlers only decode, call
// InventoryService, and render.
#pragma once

#include <string>

#include "agent/inventory_service.h"
#include "http/router.h"

namespace beian::agent {

void RegisterInventoryRoutes(http::Router& router, InventoryService& service,
                             const std::string& prefix);

}  // namespace beian::agent
