using Coup.Nodes;

namespace Coup.Faults.Tests;

/// <summary>Several nemeses played as one: due at the earliest, each part's calls routed to its track.</summary>
public sealed class NemesisTracksTests
{
    private static readonly IReadOnlyList<string> Nodes = ["n1", "n2", "n3", "n4", "n5"];
    private const long NsPerS = 1_000_000_000;

    private static readonly IReadOnlyList<(string Node, NodeStatus? Status)> N1Leads =
        [.. Nodes.Select(n => (n, Status(n == "n1" ? Role.Leader : Role.Follower, 1)))];

    private static NodeStatus? Status(Role role, long term) => new() { Role = role, Term = term, Leader = null };

    private static PlannedFault Fault(FaultKind kind, double startS, double holdS) => new()
    {
        StartS = startS,
        HoldS = holdS,
        Kind = kind,
        Target = TargetChoice.Leader,
        ChoiceSeed = 1,
        Clock = kind == FaultKind.Clock ? new ClockChange { OffsetS = 2 } : null,
    };

    [Fact]
    public void GivenTwoTracks_WhenPlayed_ThenEachFaultStartsAndHealsAtItsOwnTimeAndHealsAreRoutedToItsTrack()
    {
        var tracks = new NemesisTracks([
            new Nemesis([Fault(FaultKind.Clock, 2, 10)], Nodes),
            new Nemesis([Fault(FaultKind.Partition, 5, 3)], Nodes),
        ]);
        var log = new List<string>();
        var applied = new List<ResolvedFault>();

        void StepAt(double s)
        {
            while (tracks.Step((long)(s * NsPerS), N1Leads) is { Count: > 0 } actions)
            {
                foreach (var action in actions)
                {
                    if (action is ApplyFault apply)
                    {
                        tracks.Applied(apply.Part, apply.Part);
                        log.Add($"{s} apply {apply.Part.Kind.Name()}");
                    }
                    else if (action is HealFault heal && tracks.Healed(heal.Part))
                    {
                        log.Add($"{s} heal {heal.Part.Kind.Name()}");
                    }
                }
            }
        }

        Assert.Equal(2 * NsPerS, tracks.DueNs);
        StepAt(2);
        Assert.Equal(5 * NsPerS, tracks.DueNs);
        StepAt(5);
        Assert.Equal(8 * NsPerS, tracks.DueNs);
        StepAt(8);
        Assert.Equal(12 * NsPerS, tracks.DueNs);
        StepAt(12);

        Assert.Equal(["2 apply clock", "5 apply partition", "8 heal partition", "12 heal clock"], log);
        Assert.Null(tracks.DueNs);
    }

    [Fact]
    public void GivenFaultsActiveOnTwoTracks_WhenAllIsHealed_ThenKilledNodesComeFirstAndEachPartIsHealedOnce()
    {
        var tracks = new NemesisTracks([
            new Nemesis([Fault(FaultKind.Partition, 1, 10)], Nodes),
            new Nemesis([Fault(FaultKind.Kill, 1, 10)], Nodes),
        ]);
        while (tracks.Step(NsPerS, N1Leads) is { Count: > 0 } actions)
        {
            foreach (var apply in actions.OfType<ApplyFault>())
            {
                Assert.True(tracks.IsActive(apply.Part));
            }
        }

        var heals = tracks.HealAll(N1Leads).Cast<HealFault>().ToList();

        Assert.Equal([FaultKind.Kill, FaultKind.Partition], heals.Select(h => h.Part.Kind));
        Assert.All(heals, h => Assert.True(tracks.Healed(h.Part)));
        Assert.All(heals, h => Assert.False(tracks.Healed(h.Part)));
        Assert.Null(tracks.DueNs);
    }

    [Fact]
    public void GivenAChaseBesideAPacketTrack_WhenAnotherNodeClaims_ThenOnlyTheChaseFollowsIt()
    {
        var packet = new PlannedFault
        {
            StartS = 0,
            HoldS = 30,
            Kind = FaultKind.Packet,
            Target = TargetChoice.Leader,
            ChoiceSeed = 1,
            Packet = PacketSpec.Parse("packet-delay=300:all", out _),
        };
        var tracks = new NemesisTracks(
            [new Nemesis([packet], Nodes), new Nemesis([Fault(FaultKind.Chase, 1, 5)], Nodes)]);
        tracks.Step(0, N1Leads);
        tracks.Step(NsPerS, N1Leads);
        tracks.Step(NsPerS, N1Leads);
        Assert.True(tracks.WatchesObservations);
        IReadOnlyList<(string Node, NodeStatus? Status)> n2Claims =
            [.. Nodes.Select(n => (n, Status(n is "n1" or "n2" ? Role.Leader : Role.Follower, n == "n2" ? 2 : 1)))];

        var replace = Assert.IsType<ReplaceCut>(Assert.Single(tracks.Step(NsPerS + 1, n2Claims)));

        Assert.Equal("n2", replace.Cut.Successor);
        Assert.True(tracks.IsActive(replace.Cut));
    }
}
