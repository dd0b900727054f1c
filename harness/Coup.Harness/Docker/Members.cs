using System.Net;
using System.Net.Http.Json;
using Coup.Harness.Run;
using Coup.Harness.Systems;
using Coup.Nodes;

namespace Coup.Harness.Docker;

/// <summary>What a cluster's containers run: Coup's node host or a real system.</summary>
public interface IMembers
{
    string Image { get; }

    /// <summary>The environment of one member's container, and its command (null: the image's own).</summary>
    MemberRecipe Recipe(string node, IReadOnlyDictionary<string, IPAddress> addresses);

    /// <summary>True once the member answers; false (never a throw) while it does not yet.</summary>
    Task<bool> AnswersAsync(string node, IPAddress address, CancellationToken cancellation);

    /// <summary>What is asked, for the error when a member never answers.</summary>
    string ReadyProbe(IPAddress address);

    TimeSpan ReadyTimeout { get; }

    /// <summary>
    /// The port a member hears its peers' messages on, over connections each sender opens and uses for
    /// its own messages only, so that dropping a sender's packets to this port silences that sender
    /// and nothing else: a one-way cut. Null when the member's protocol carries both directions on
    /// one connection (etcd's streams, ZooKeeper's quorum and election links, Redis replication),
    /// where no packet rule cuts one direction and leaves the other.
    /// </summary>
    int? PeerMessagePort { get; }

    /// <summary>The member's wall clock as its own process reads it, to confirm a clock fault took effect.</summary>
    /// <param name="log">The member's output since a time, for systems whose only clock reading is the stamp on their
    /// own log lines.</param>
    Task<ClockReading> ReadClockAsync(string node, IPAddress address, MemberLog log, CancellationToken cancellation);
}

public sealed record MemberRecipe(
    IReadOnlyDictionary<string, string> Environment, IReadOnlyList<string>? Command = null);

/// <summary>A member's output (stdout and stderr) since a time.</summary>
public delegate Task<string> MemberLog(DateTime sinceUtc, CancellationToken cancellation);

/// <summary>
/// One reading of a member's clock: <paramref name="NodeMs"/> as its process read it, and the
/// controller's clock at that instant, estimated as the midpoint of the question that got it
/// (both ms since the Unix epoch).
/// </summary>
public readonly record struct ClockReading(double NodeMs, double ControllerMs)
{
    public double SkewMs => NodeMs - ControllerMs;

    public static double NowMs => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
}

/// <summary>Coup's node host running one of its algorithms, configured through the environment.</summary>
public sealed class CoupMembers(string image, string algorithm, int seed, AlgorithmSettings settings) : IMembers
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromMilliseconds(500) };

    public string Image => image;
    public TimeSpan ReadyTimeout => TimeSpan.FromSeconds(30);
    /// <summary>Each peer link is one connection per direction (PeerLink sends, PeerListener reads).</summary>
    public int? PeerMessagePort => Wire.PeerPort;

    public MemberRecipe Recipe(string node, IReadOnlyDictionary<string, IPAddress> addresses) =>
        new(new Dictionary<string, string>
        {
            ["COUP_ALGORITHM"] = algorithm,
            ["COUP_SELF"] = node,
            ["COUP_MEMBERS"] = string.Join(",", addresses.Select(a => $"{a.Key}={a.Value}")),
            ["COUP_SEED"] = seed.ToString(),
        }.Concat(settings.NodeEnvironment).ToDictionary());

    public async Task<bool> AnswersAsync(string node, IPAddress address, CancellationToken cancellation)
    {
        try
        {
            using var response = await Http.GetAsync(ReadyProbe(address), cancellation);
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException
            && !cancellation.IsCancellationRequested)
        {
            return false;
        }
    }

    public string ReadyProbe(IPAddress address) => $"http://{address}:{Wire.ControlPort}/status";

    public async Task<ClockReading> ReadClockAsync(
        string node, IPAddress address, MemberLog log, CancellationToken cancellation)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
        var sentMs = ClockReading.NowMs;
        var report = await http.GetFromJsonAsync<StatusReport>(ReadyProbe(address), Wire.Json, cancellation)
            ?? throw new InvalidOperationException($"{node} sent an empty status");
        return new ClockReading(report.NodeWallMs, (sentMs + ClockReading.NowMs) / 2);
    }
}

/// <summary>A real system's members: its command line per member, ready when its probe answers.</summary>
public sealed class SystemMembers(string image, ClusterSystem system, SystemSettings settings) : IMembers
{
    public string Image => image;
    public ClusterSystem System => system;
    public TimeSpan ReadyTimeout => TimeSpan.FromSeconds(60);
    public int? PeerMessagePort => null;

    public MemberRecipe Recipe(string node, IReadOnlyDictionary<string, IPAddress> addresses)
    {
        var members = addresses.Select(a => new Member(a.Key, a.Value)).ToList();
        Context = new SystemContext(members, settings);
        return new MemberRecipe(
            new Dictionary<string, string>(), system.Command(members.Single(m => m.Node == node), members, settings));
    }

    public async Task<bool> AnswersAsync(string node, IPAddress address, CancellationToken cancellation)
    {
        try
        {
            await system.ProbeAsync(new Member(node, address), Context, cancellation);
            return true;
        }
        catch (Exception e) when (!cancellation.IsCancellationRequested && e is not OutOfMemoryException)
        {
            return false;
        }
    }

    /// <summary>Set once the addresses are known; probes and clients share it.</summary>
    public SystemContext Context { get; private set; } = new([], settings);

    public string ReadyProbe(IPAddress address) => $"{system.Name}'s probe at {address}";

    public Task<ClockReading> ReadClockAsync(
        string node, IPAddress address, MemberLog log, CancellationToken cancellation) =>
        system.ReadClockAsync(new Member(node, address), log, cancellation);
}
