-- wrk script: counts responses that are not HTTP 200 (a lost session would show as a
-- redirect to the login page) across all threads, and reports them.
local threads = {}

function setup(thread)
    table.insert(threads, thread)
end

function init(args)
    ok = 0
    not_ok = 0
end

function response(status, headers, body)
    if status == 200 then ok = ok + 1 else not_ok = not_ok + 1 end
end

function done(summary, latency, requests)
    local good, bad = 0, 0
    for _, t in ipairs(threads) do
        good = good + t:get("ok")
        bad = bad + t:get("not_ok")
    end
    io.write(string.format("status check: %d responses 200, %d other\n", good, bad))
end
