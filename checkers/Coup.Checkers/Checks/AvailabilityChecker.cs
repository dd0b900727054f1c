using Coup.History;

namespace Coup.Checkers.Checks;

/// <summary>
/// How long the cluster went without a leader that a majority acknowledges, and how the client
/// operations fared. Informational: the verdict comes from safety and liveness; this one is valid or,
/// when a node never reported or the clients ran and recorded nothing, unknown.
/// </summary>
public sealed class AvailabilityChecker : IChecker
{
    public string Name => "availability";

    /// <summary>The figure counting <c>fail</c>s that are refusals by a node not leading.</summary>
    public const string Refused = "refused";

    /// <summary>One group's leaderless time; a group that never had a majority leader was unavailable the whole
    /// run.</summary>
    private sealed record Leaderless(long? FirstLeaderNs, long TotalNs, long LongestNs);

    public ICheck Start(RunStarted run) => new Fold(Name, run);

    private sealed class Fold : ICheck
    {
        private readonly string _name;
        private readonly LeadershipReplay _replay;
        private readonly Dictionary<string, LeaderlessTime> _groups = [];
        /// <summary>Operations by phase, refusals by a node not leading apart.</summary>
        private readonly Dictionary<string, int> _ops = [];
        private readonly WithoutAcknowledgement _withoutAck = new();

        public Fold(string name, RunStarted run)
        {
            _name = name;
            _replay = new LeadershipReplay(run, (group, instant) => Leaderless(group).Add(instant));
        }

        private LeaderlessTime Leaderless(string group) =>
            _groups.TryGetValue(group, out var known) ? known : _groups[group] = new LeaderlessTime();

        public void Observe(HistoryEvent historyEvent)
        {
            _replay.Observe(historyEvent);
            if (historyEvent is ClientOp op)
            {
                // A refusal by a node that does not lead is the client's miss, counted apart from real failures.
                var key = OpErrors.IsNotLeader(op) ? Refused : op.Phase;
                _ops[key] = _ops.GetValueOrDefault(key) + 1;
                _withoutAck.Add(op);
            }
        }

        public CheckResult Finish(HistoryFacts facts)
        {
            _replay.Finish();
            var groups = _replay.Groups.Select(g => Leaderless(g).Measure(facts.EndNs)).ToList();
            var invoked = _ops.GetValueOrDefault(OpPhases.Invoke);
            var ok = _ops.GetValueOrDefault(OpPhases.Ok);
            var figures = new Dictionary<string, double>
            {
                ["unavailableMs"] = groups.Sum(g => g.TotalNs) / 1e6,
                ["longestUnavailableMs"] = groups.Max(g => g.LongestNs) / 1e6,
                ["invoked"] = invoked,
                ["ok"] = ok,
                ["fail"] = _ops.GetValueOrDefault(OpPhases.Fail),
                [Refused] = _ops.GetValueOrDefault(Refused),
                ["info"] = _ops.GetValueOrDefault(OpPhases.Info),
            };
            // Undefined figures are left out rather than written as NaN.
            if (groups.All(g => g.FirstLeaderNs is not null))
            {
                figures["firstLeaderMs"] = groups.Max(g => g.FirstLeaderNs!.Value) / 1e6;
            }
            if (invoked > 0)
            {
                figures["availability"] = (double)ok / invoked;
                figures["longestWithoutAckMs"] = _withoutAck.LongestNs / 1e6;
            }
            var leaders = figures.TryGetValue("firstLeaderMs", out var firstMs)
                ? $"first majority leader after {firstMs:0} ms, then none for {figures["unavailableMs"]:0} ms "
                    + $"(longest {figures["longestUnavailableMs"]:0} ms)"
                : "no majority leader in some group for the whole run";
            var clients = invoked == 0 ? "no client operations"
                : $"{ok}/{invoked} operations acknowledged ({figures["availability"]:P1}), " +
                  $"{figures[Refused]} refused by a node not leading, " +
                  $"{figures["fail"]} failed, {figures["info"]} indeterminate; " +
                  $"longest with writes sent and none acknowledged {figures["longestWithoutAckMs"]:0} ms";
            var found = new CheckResult
            {
                Checker = _name,
                Verdict = Verdict.Valid,
                Summary = $"{leaders}; {clients}",
                Figures = figures,
            };
            return Evidence.Judge(found, facts, Needs.Reports | Needs.Operations);
        }
    }

    /// <summary>
    /// The longest stretch in which clients were writing and no write was acknowledged: from the first
    /// invoke after an acknowledgement (or the run's first invoke) to the next acknowledgement, or to the
    /// clients' last operation when none came. A leader that is claimed but cannot commit (its answers
    /// cut off) leaves no leaderless time, and shows here.
    /// </summary>
    private sealed class WithoutAcknowledgement
    {
        private long? _stretchStartNs;
        private long _longestNs;
        private long _lastNs;

        public long LongestNs => _stretchStartNs is { } openNs ? Math.Max(_longestNs, _lastNs - openNs) : _longestNs;

        public void Add(ClientOp op)
        {
            _lastNs = op.TimeNs;
            if (op.Phase == OpPhases.Ok)
            {
                _longestNs = Math.Max(_longestNs, op.TimeNs - (_stretchStartNs ?? op.TimeNs));
                _stretchStartNs = null;
            }
            else if (op.Phase == OpPhases.Invoke)
            {
                _stretchStartNs ??= op.TimeNs;
            }
        }
    }

    /// <summary>One group's time without a majority leader, from its first one on, instant by instant.</summary>
    private sealed class LeaderlessTime
    {
        private long? _firstLeaderNs;
        private long? _gapStartNs;
        private long _totalNs;
        private long _longestNs;

        /// <summary>A group that never had a majority leader was unavailable the whole run.</summary>
        public static Leaderless Never(long endNs) => new(null, endNs, endNs);

        public void Add(LeadershipInstant instant)
        {
            if (instant.MajorityLeader is not null)
            {
                _firstLeaderNs ??= instant.TimeNs;
                if (_gapStartNs is not null)
                {
                    CloseGap(instant.TimeNs);
                }
            }
            else if (_firstLeaderNs is not null)
            {
                _gapStartNs ??= instant.TimeNs;
            }
        }

        public Leaderless Measure(long endNs)
        {
            if (_firstLeaderNs is null)
            {
                return Never(endNs);
            }
            if (_gapStartNs is not null)
            {
                CloseGap(endNs);
            }
            return new Leaderless(_firstLeaderNs, _totalNs, _longestNs);
        }

        private void CloseGap(long endNs)
        {
            _totalNs += endNs - _gapStartNs!.Value;
            _longestNs = Math.Max(_longestNs, endNs - _gapStartNs.Value);
            _gapStartNs = null;
        }
    }
}
