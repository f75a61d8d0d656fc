-- ListRoles, first page of 100.
package.path = package.path .. ";" .. debug.getinfo(1, "S").source:match("@?(.*/)") .. "?.lua"
local common = require("common")

local req = nil
function request()
  if req == nil then
    req = wrk.format("POST", "/", common.headers("iam"), "Action=ListRoles&Version=2010-05-08&MaxItems=100")
  end
  return req
end

done = common.done
