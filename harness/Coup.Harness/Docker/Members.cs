using System.Net;
using System.Net.Http.Json;
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

    /// <summary>The member's wall clock as its own process reads it (ms since the Unix epoch), to confirm a clock fault took effect.</summary>
    Task<double> WallClockMsAsync(string node, IPAddress address, CancellationToken cancellation);
}

public sealed record MemberRecipe(IReadOnlyDictionary<string, string> Environment, IReadOnlyList<string>? Command = null);

/// <summary>Coup's node host running one of its algorithms, configured through the environment.</summary>
public sealed class CoupMembers(string image, string algorithm, int seed) : IMembers
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromMilliseconds(500) };

    public string Image => image;
    public TimeSpan ReadyTimeout => TimeSpan.FromSeconds(30);

    public MemberRecipe Recipe(string node, IReadOnlyDictionary<string, IPAddress> addresses) => new(new Dictionary<string, string>
    {
        ["COUP_ALGORITHM"] = algorithm,
        ["COUP_SELF"] = node,
        ["COUP_MEMBERS"] = string.Join(",", addresses.Select(a => $"{a.Key}={a.Value}")),
        ["COUP_SEED"] = seed.ToString(),
    });

    public async Task<bool> AnswersAsync(string node, IPAddress address, CancellationToken cancellation)
    {
        try
        {
            using var response = await Http.GetAsync(ReadyProbe(address), cancellation);
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellation.IsCancellationRequested)
        {
            return false;
        }
    }

    public string ReadyProbe(IPAddress address) => $"http://{address}:{Wire.ControlPort}/status";

    public async Task<double> WallClockMsAsync(string node, IPAddress address, CancellationToken cancellation)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
        var report = await http.GetFromJsonAsync<StatusReport>(ReadyProbe(address), Wire.Json, cancellation)
            ?? throw new InvalidOperationException($"{node} sent an empty status");
        return report.NodeWallMs;
    }
}

/// <summary>A real system's members: its command line per member, ready when its probe answers.</summary>
public sealed class SystemMembers(string image, ClusterSystem system, SystemSettings settings) : IMembers
{
    public string Image => image;
    public ClusterSystem System => system;
    public TimeSpan ReadyTimeout => TimeSpan.FromSeconds(60);

    public MemberRecipe Recipe(string node, IReadOnlyDictionary<string, IPAddress> addresses)
    {
        var members = addresses.Select(a => new Member(a.Key, a.Value)).ToList();
        Context = new SystemContext(members, settings);
        return new MemberRecipe(new Dictionary<string, string>(), system.Command(members.Single(m => m.Node == node), members, settings));
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

    public Task<double> WallClockMsAsync(string node, IPAddress address, CancellationToken cancellation) =>
        system.WallClockMsAsync(new Member(node, address), cancellation);
}
