using Coup.Checkers;
using Coup.History;

namespace Coup.Reports.Tests;

/// <summary>
/// Synthetic runs, written by hand the way a Raft cluster under a nemesis would have behaved, with
/// results as the checkers might have answered. The realistic one has five nodes over 60 s: a
/// leader killed, a leader isolated (a stale leader until the heal), a leader paused while a
/// broken election gives term 4 two leaders, a clock bump, and a second kill.
/// </summary>
internal static class SampleRuns
{
    public static readonly string[] FiveNodes = ["n1", "n2", "n3", "n4", "n5"];

    /// <summary>Who the clients reach, and what they get, at each moment of the realistic run.</summary>
    private static readonly (double FromS, string Node, string Outcome, long Term)[] Service =
    [
        (0.0, "n1", OpPhases.Fail, 0),
        (0.45, "n1", OpPhases.Ok, 1),
        (10.0, "n1", OpPhases.Fail, 1),
        (10.45, "n3", OpPhases.Ok, 2),
        (22.0, "n3", OpPhases.Info, 2),
        (22.9, "n2", OpPhases.Ok, 3),
        (35.0, "n2", OpPhases.Info, 3),
        (36.5, "n4", OpPhases.Ok, 4),
        (48.0, "n4", OpPhases.Fail, 4),
        (48.6, "n1", OpPhases.Ok, 5),
    ];

    public static RunHistory Realistic()
    {
        var skewMs = new Dictionary<string, double> { ["n1"] = 2, ["n2"] = -3, ["n3"] = 1, ["n4"] = 4, ["n5"] = -1 };
        var role = new Dictionary<string, (string Role, long Term, string? Leader)>();
        var killed = new HashSet<string>();
        var h = new HistoryBuilder(FiveNodes, ["kill", "pause", "partition", "clock"], "raft-sample");
        var nextPollS = 1.0;
        // Polled reports every 2 s repeat each live node's word, so the clock plot has points between changes.
        void PollUntil(double untilS)
        {
            for (; nextPollS < untilS; nextPollS += 2)
            {
                foreach (var node in FiveNodes.Where(n => !killed.Contains(n) && role.ContainsKey(n)))
                {
                    var (r, term, leader) = role[node];
                    h.State(nextPollS, node, r, term, leader, skewMs[node]);
                }
            }
        }
        void Say(double atS, string node, string r, long term, string? leader = null)
        {
            PollUntil(atS);
            role[node] = (r, term, leader);
            h.State(atS, node, r, term, leader, skewMs[node]);
        }
        void Follow(double atS, string? leader, long term, params string[] nodes)
        {
            foreach (var node in nodes)
            {
                Say(atS, node, Roles.Follower, term, leader);
            }
        }
        void Fault(double atS, string phase, string kind, string target)
        {
            PollUntil(atS);
            h.Fault(atS, phase, kind, target);
            if (kind == FaultKinds.Kill)
            {
                // A restarted node says nothing until it reports again.
                _ = phase == "start" ? killed.Add(target) && role.Remove(target) : killed.Remove(target);
            }
        }

        Follow(0.0, null, 0, FiveNodes);
        Say(0.40, "n1", Roles.Candidate, 1);
        Say(0.45, "n1", Roles.Leader, 1);
        Follow(0.50, "n1", 1, "n2", "n3", "n4", "n5");

        Fault(10.0, "start", FaultKinds.Kill, "n1");
        Say(10.35, "n3", Roles.Candidate, 2);
        Say(10.40, "n3", Roles.Leader, 2);
        Follow(10.45, "n3", 2, "n2", "n4", "n5");
        Fault(15.0, "stop", FaultKinds.Kill, "n1");
        Follow(15.6, null, 1, "n1");
        Follow(15.7, "n3", 2, "n1");

        Fault(22.0, "start", FaultKinds.Partition, "n3");
        Say(22.80, "n2", Roles.Candidate, 3);
        Say(22.85, "n2", Roles.Leader, 3);
        Follow(22.90, "n2", 3, "n1", "n4", "n5");
        Fault(30.0, "stop", FaultKinds.Partition, "n3");
        Follow(30.1, "n2", 3, "n3");

        Fault(35.0, "start", FaultKinds.Pause, "n2");
        Say(35.50, "n4", Roles.Candidate, 4);
        Say(35.52, "n5", Roles.Candidate, 4);
        Say(35.55, "n4", Roles.Leader, 4);
        Say(35.60, "n5", Roles.Leader, 4);
        Follow(35.65, "n4", 4, "n1");
        Follow(36.50, "n4", 4, "n3", "n5");
        Fault(40.0, "stop", FaultKinds.Pause, "n2");
        Follow(40.2, "n4", 4, "n2");

        Fault(45.0, "start", FaultKinds.Clock, "n5");
        skewMs["n5"] = 800;
        Fault(48.0, "start", FaultKinds.Kill, "n4");
        Say(48.50, "n1", Roles.Candidate, 5);
        Say(48.55, "n1", Roles.Leader, 5);
        Follow(48.60, "n1", 5, "n2", "n3", "n5");
        Fault(53.0, "stop", FaultKinds.Kill, "n4");
        Follow(53.6, null, 4, "n4");
        Follow(53.7, "n1", 5, "n4");
        Fault(55.0, "stop", FaultKinds.Clock, "n5");
        skewMs["n5"] = -1;

        PollUntil(60);

        for (var process = 0; process < 3; process++)
        {
            for (var atS = 0.05 + process * 0.033; atS < 59.5;)
            {
                var at = atS;
                var (_, node, outcome, term) = Service.Last(s => s.FromS <= at);
                var latencyMs = outcome switch { OpPhases.Ok => 3 + (int)(at * 7) % 6, OpPhases.Fail => 1, _ => 1000 };
                h.Write(atS, process, node, outcome, latencyMs, term);
                // A client has one operation in flight: after a timeout it writes again at once.
                atS += Math.Max(0.1, latencyMs / 1000.0 + 0.001);
            }
        }
        return h.Build(60, healedS: 55);
    }

    public static Results RealisticResults()
    {
        var twoLeaders = new Anomaly
        {
            Kind = "same-term-leaders",
            Description = "n4 and n5 both led term 4",
            Nodes = ["n4", "n5"],
            Terms = [4],
            StartNs = HistoryBuilder.Ns(35.60),
            EndNs = HistoryBuilder.Ns(36.50),
        };
        var staleIsolated = new Anomaly
        {
            Kind = "stale-leader",
            Description = "n3 still claimed term 2 while n2 led term 3",
            Nodes = ["n3", "n2"],
            Terms = [2, 3],
            StartNs = HistoryBuilder.Ns(22.85),
            EndNs = HistoryBuilder.Ns(30.10),
            Violation = false,
        };
        var stalePaused = staleIsolated with
        {
            Description = "n2 woke from a pause still claiming term 3",
            Nodes = ["n2", "n4"],
            Terms = [3, 4],
            StartNs = HistoryBuilder.Ns(40.0),
            EndNs = HistoryBuilder.Ns(40.2),
        };
        return new Results
        {
            Verdict = Verdict.Invalid,
            Checks =
            [
                new CheckResult
                {
                    Checker = "election-safety",
                    Verdict = Verdict.Invalid,
                    Summary = "term 4 had two leaders",
                    Anomalies = [twoLeaders],
                },
                new CheckResult
                {
                    Checker = "split-brain", Verdict = Verdict.Invalid, Summary = "3 overlaps, 1 in the same term",
                    Anomalies = [twoLeaders with { Kind = "split-brain" }, staleIsolated, stalePaused],
                    Figures = new Dictionary<string, double> { ["splitBrainMs"] = 8350 },
                },
                new CheckResult
                {
                    Checker = "dueling-writes",
                    Verdict = Verdict.Valid,
                    Summary = "no write acknowledged by two leaders at once",
                },
                new CheckResult
                {
                    Checker = "failover",
                    Verdict = Verdict.Valid,
                    Summary = "4 failovers, p99 to majority leader 1500 ms",
                    Figures = new Dictionary<string, double>
                    {
                        ["toMajorityLeaderMsP50"] = 600,
                        ["toMajorityLeaderMsP99"] = 1500,
                    },
                    Failovers =
                    [
                        Failover(FaultKinds.Kill, 10.0, "n1", 1, 400, 450, "n3", 2),
                        Failover(FaultKinds.Partition, 22.0, "n3", 2, 850, 900, "n2", 3),
                        Failover(FaultKinds.Pause, 35.0, "n2", 3, 550, 1500, "n4", 4),
                        Failover(FaultKinds.Kill, 48.0, "n4", 4, 550, 600, "n1", 5),
                    ],
                },
                new CheckResult
                {
                    Checker = "availability", Verdict = Verdict.Valid, Summary = "3.4 s without a majority leader",
                    Figures = new Dictionary<string, double>
                    {
                        ["unavailableMs"] = 3400,
                        ["failedOps"] = 32,
                        ["indeterminateOps"] = 72,
                    },
                },
                new CheckResult
                {
                    Checker = "liveness",
                    Verdict = Verdict.Valid,
                    Summary = "n1 led term 5 from the heal to the end",
                },
                new CheckResult
                {
                    Checker = "term-monotonicity",
                    Verdict = Verdict.Unknown,
                    Summary = "n5's event stream was lost for 2 s",
                },
            ],
        };
    }

    /// <summary>Three nodes, one election, no faults, no clock readings, no failovers.</summary>
    public static RunHistory Quiet()
    {
        var h = new HistoryBuilder(["n1", "n2", "n3"], []);
        h.State(0.0, "n1", Roles.Follower, 0).State(0.0, "n2", Roles.Follower, 0).State(0.0, "n3", Roles.Follower, 0);
        h.State(0.3, "n2", Roles.Candidate, 1).State(0.35, "n2", Roles.Leader, 1);
        h.State(0.4, "n1", Roles.Follower, 1, "n2").State(0.4, "n3", Roles.Follower, 1, "n2");
        for (var atS = 0.5; atS < 9.5; atS += 0.25)
        {
            h.Write(atS, 0, "n2", OpPhases.Ok, 4, 1);
        }
        return h.Build(10, healedS: 10);
    }

    public static Results QuietResults() => new()
    {
        Verdict = Verdict.Valid,
        Checks =
        [
            new CheckResult { Checker = "election-safety", Verdict = Verdict.Valid, Summary = "one leader per term" },
            new CheckResult
            {
                Checker = "failover",
                Verdict = Verdict.Valid,
                Summary = "no fault took the leader away",
            },
        ],
    };

    private static FailoverLatency Failover(
        string kind, double atS, string oldLeader, long oldTerm,
        double firstMs, double majorityMs, string newLeader, long newTerm) => new()
        {
            FaultKind = kind,
            FaultStartNs = HistoryBuilder.Ns(atS),
            Group = "default",
            OldLeader = oldLeader,
            OldTerm = oldTerm,
            ToFirstClaimNs = HistoryBuilder.Ns(firstMs / 1000),
            ToMajorityLeaderNs = HistoryBuilder.Ns(majorityMs / 1000),
            NewLeader = newLeader,
            NewTerm = newTerm,
        };
}
