using System.Security.Cryptography;
using Coup.Faults;
using Coup.Harness.Run;
using Coup.Harness.Sim;
using Coup.Harness.Swarm;
using Coup.History;

namespace Coup.Harness.Tests;

/// <summary>
/// The simulator's speed-ups (idle ticks given without a Ready, tick timers beside the event heap) must not
/// change one byte of a history: these SHA-256s were recorded before them (issue 15), on swarm seeds with
/// kills, pauses, partitions, clock bumps and strobes, and on longer runs. A change that moves any event's
/// order or time fails here; if one is meant to, record the new figures and say why in its commit.
/// </summary>
public sealed class SimHistoryPinTests : IDisposable
{
    private readonly TempStore _store = new();

    [Theory]
    [InlineData("raft", 7, "d5e3d3d2ee9f9a22d9a34788b78945f3906f4ce0a427121d62a0b342ef45a030")]
    [InlineData("raft", 11, "05c57faea9305d03f160465ea2dcc9d402681fe00a16340493b57b43672d5734")]
    [InlineData("raft", 13, "3914e44f58d4e872f67043e7a68571de42d3719d8a67692bd039c2c64cd9d9b9")]
    [InlineData("raft", 29, "2b7b4cb8d8266cc32eba3ac2b265dfc7ade3ebde440770949f3616c454d779e4")]
    [InlineData("raft-prevote-checkquorum", 7, "48a5847b1ebf5d9bc1ca2af4efa32e2833666ec6edf28d8cdb31bb66eeddca03")]
    [InlineData("raft-prevote-checkquorum", 11, "672d7089e58188b39b0f7f5b4f485ec8218f950b5381157e2a522f7734d41887")]
    [InlineData("raft-prevote-checkquorum", 13, "14d877040a7a77ea6e89ef557da66b6205a5f1095b4e75a96cb155cfdd7eb71e")]
    [InlineData("raft-prevote-checkquorum", 29, "d73bab5470bde60fa4c4734dd3b4d6be0abb601b119278d451b21fd92b74d80a")]
    [InlineData("raft-forgets-vote", 7, "c5b08e444b8926bf430f009762ce45b07bb379520bcd6a1d509b37d4c582be0f")]
    [InlineData("raft-forgets-vote", 11, "bcdb66ff56de2d9c1cbb6aed49bda9d8396d32ca1b2656736fe9273b33b150df")]
    [InlineData("raft-no-term-check", 13, "82777473db0c50bd220146e9109ec59f7c939b1947d0a6a75236a366a6e544bf")]
    [InlineData("raft-no-term-check", 29, "39ab25669fb25018acafdeb1ea8b0e98db690af25f513d74b90d7fca22b8fc92")]
    [InlineData("zab", 7, "2389c90e3ce2edb5a87ce082d21c24b1d521c8b16334b69b7215f560da935cd1")]
    [InlineData("zab", 11, "21d9dc9f12be01c006771d09896e728959e16a6fda3baf895eea9ab9b0e1f3b4")]
    [InlineData("kafka", 13, "5eaeba9755451faacb3669cc00f8c0e22f239e77ca3b3b642c3133fa3725a22b")]
    [InlineData("kafka", 29, "ab5f6915e7651705be7efaf4ce612c266074309d4a5fd9f3fbe3aafce65c8cff")]
    public void GivenASwarmSeed_WhenSimulated_ThenItsHistoryIsTheBytesRecordedBefore(
        string algorithm, int seed, string sha256)
    {
        var plan = SwarmDraw.Plan(algorithm, seed, _store.Root).Validated();

        Assert.Equal(sha256, HistorySha256(plan));
    }

    [Theory]
    [InlineData("raft", "3a09eb25a11db6a0b15ba51e561a04a1ed2baeaa915eac8f33db87bb80cb16ed")]
    [InlineData("raft-prevote-checkquorum", "70539416b298809e25feed765b53536b196b4919be7215fb491b89bf2ba3a016")]
    public void GivenALongRunWithClockFaultsPausesAndKills_WhenSimulated_ThenItsHistoryIsTheBytesRecordedBefore(
        string algorithm, string sha256)
    {
        var plan = new RunPlan
        {
            Algorithm = algorithm,
            Runtime = RuntimeKind.Sim,
            TimeLimitS = 600,
            IntervalS = 2,
            Nemesis = [.. new[] { "clock", "clock-strobe=500ms/1000ms", "pause", "kill", "partition" }
                .Select(name => FaultChoice.Parse(name, out _)!)],
            Seed = 5,
            Store = _store.Root,
        }.Validated();

        Assert.Equal(sha256, HistorySha256(plan));
    }

    private string HistorySha256(RunPlan plan)
    {
        var path = Path.Combine(_store.Root, $"{plan.Algorithm}-{plan.Seed}.jsonl");
        using (var writer = new HistoryWriter(path))
        {
            SimulatedRuntime.Record(plan, writer, DateTimeOffset.UnixEpoch, CancellationToken.None);
        }
        return Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
    }

    public void Dispose() => _store.Dispose();
}
