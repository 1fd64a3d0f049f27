-- put.lua — wrk script: durable PUT of the genai_training setting, rotating
-- member tokens (TOKENS env) and alternating the value per token.
local tokens = {}
local value = {}
local i = 0

function init(args)
  for line in io.lines(os.getenv("TOKENS")) do
    if #line > 0 then tokens[#tokens + 1] = line end
  end
  i = math.random(#tokens)
end

function request()
  i = i % #tokens + 1
  value[i] = not value[i]
  local body = value[i] and '{"value":true}' or '{"value":false}'
  return wrk.format("PUT", "/api/me/settings/genai_training",
                    {["Authorization"] = "Bearer " .. tokens[i],
                     ["Content-Type"] = "application/json"}, body)
end
-- Non-2xx answers are counted by wrk ("Non-2xx or 3xx responses"); run.sh fails on any.
