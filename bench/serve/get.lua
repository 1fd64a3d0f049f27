-- get.lua — wrk script: GET /api/me, rotating member tokens (TOKENS env).
local tokens = {}
local i = 0

function init(args)
  for line in io.lines(os.getenv("TOKENS")) do
    if #line > 0 then tokens[#tokens + 1] = line end
  end
  i = math.random(#tokens)
end

function request()
  i = i % #tokens + 1
  return wrk.format("GET", "/api/me", {["Authorization"] = "Bearer " .. tokens[i]})
end
-- Non-2xx answers are counted by wrk ("Non-2xx or 3xx responses"); run.sh fails on any.
