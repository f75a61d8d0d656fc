-- CreateRole with a distinct name per request: every thread has its own id.
package.path = package.path .. ";" .. debug.getinfo(1, "S").source:match("@?(.*/)") .. "?.lua"
local common = require("common")

local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

local trust = "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C" ..
    "%22Principal%22%3A%7B%22Service%22%3A%22ec2.amazonaws.com%22%7D%2C%22Action%22%3A%22sts%3AAssumeRole%22%7D%5D%7D"
local counter = 0
local headers = nil
local run = tostring(os.time())

function request()
  if headers == nil then headers = common.headers("iam") end
  counter = counter + 1
  local body = "Action=CreateRole&Version=2010-05-08&RoleName=bench-" .. run .. "-" .. tid .. "-" .. counter ..
      "&AssumeRolePolicyDocument=" .. trust
  return wrk.format("POST", "/", headers, body)
end

done = common.done
