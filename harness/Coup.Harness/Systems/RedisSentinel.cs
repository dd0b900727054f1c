using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Coup.Nodes;

namespace Coup.Harness.Systems;

/// <summary>
/// Redis 7.0 with Sentinel from Debian's packages: one redis-server and one sentinel per member,
/// n1 the first primary, the others its replicas, the sentinels promoting a replica when a
/// majority of them agree the primary is down. Nothing stops a cut-off primary from taking
/// writes (no <c>min-replicas-to-write</c>), which is what a run should show.
/// <para>
/// Terms are the Sentinels' config epochs (<see cref="Derive"/>). A server that reports
/// <c>role:master</c> leads in the newest epoch in which any Sentinel named it the primary; a
/// primary that never heard of a newer epoch keeps the epoch of its own promotion. A server that
/// reports master while no Sentinel has named it since it last followed (a promotion still in
/// flight) is recorded as a candidate. A replica is in the epoch its own Sentinel reports,
/// following the primary its INFO names.
/// </para>
/// </summary>
public sealed class RedisSentinel : ClusterSystem
{
    public const int RedisPort = 6379;
    public const int SentinelPort = 26379;
    public const string MasterName = "coup";
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromMilliseconds(500);

    public override string Name => "redis-sentinel";
    public override string Description =>
        "Redis 7.0 + Sentinel (Debian redis-server, redis-sentinel): failover by a Sentinel majority";
    public override string Safety => "none for writes: a primary cut off with a minority keeps acknowledging them";
    public override string Dockerfile => "redis.Dockerfile";
    public override int NodesMin => 3;

    /// <summary>
    /// Checked: with libfaketime preloaded, Debian's redis-server (linked with jemalloc) fails at startup.
    /// </summary>
    public override string? ClockRefusal =>
        "libfaketime cannot be preloaded into Debian's redis-server: it recurses in clock_gettime with jemalloc at "
            + "startup and the server exits; drop clock from --nemesis";

    public override IReadOnlyDictionary<string, string> Defaults { get; } = new Dictionary<string, string>
    {
        ["down-after-ms"] = "1000",
        ["failover-timeout-ms"] = "5000",
    };

    /// <summary>
    /// Config files are written on first start only: Sentinel rewrites both, and a restarted member comes back with
    /// what they last said.
    /// </summary>
    public override IReadOnlyList<string> Command(Member self, IReadOnlyList<Member> members, SystemSettings settings)
    {
        var primary = members[0];
        var redis = new List<string>
        {
            $"port {RedisPort}", "bind 0.0.0.0", "protected-mode no", "dir /data", "save ''", "appendonly no"
        };
        if (self != primary)
        {
            redis.Add($"replicaof {primary.Address} {RedisPort}");
        }
        var sentinel = new[]
        {
            $"port {SentinelPort}", "bind 0.0.0.0", "protected-mode no", "dir /data",
            $"sentinel monitor {MasterName} {primary.Address} {RedisPort} {members.Count / 2 + 1}",
            $"sentinel down-after-milliseconds {MasterName} {settings.Int("down-after-ms")}",
            $"sentinel failover-timeout {MasterName} {settings.Int("failover-timeout-ms")}",
            $"sentinel parallel-syncs {MasterName} 1",
        };
        static string Lines(IEnumerable<string> lines) => string.Join(" ", lines.Select(l => $"\"{l}\""));
        var script = "mkdir -p /data && " +
            $"{{ [ -f /data/redis.conf ] || printf '%s\\n' {Lines(redis)} > /data/redis.conf; }} && " +
            $"{{ [ -f /data/sentinel.conf ] || printf '%s\\n' {Lines(sentinel)} > /data/sentinel.conf; }} && " +
            "{ redis-server /data/redis.conf & } && exec redis-sentinel /data/sentinel.conf";
        return ["sh", "-c", script];
    }

    /// <summary>
    /// For each address, the newest config epoch in which a Sentinel was seen naming it the primary.
    /// </summary>
    private readonly ConcurrentDictionary<IPAddress, long> _namedIn = new();

    /// <summary>For each address, the term last derived for it (<see cref="Derive"/>).</summary>
    private readonly ConcurrentDictionary<IPAddress, long> _derived = new();

    public override async Task<NodeStatus> ProbeAsync(
        Member member, SystemContext context, CancellationToken cancellation)
    {
        var info = (string)(await Resp.CommandAsync(
            member.Address, RedisPort, ProbeTimeout, cancellation, "INFO", "replication"))!;
        var sentinel = await SentinelViewAsync(member, cancellation);
        if (sentinel is { } named)
        {
            _namedIn.AddOrUpdate(named.Primary, named.Epoch, (_, known) => Math.Max(known, named.Epoch));
        }
        var master = Field(info, "role") == "master";
        var (role, term) = Derive(master,
            _namedIn.TryGetValue(member.Address, out var epoch) ? epoch : null,
            sentinel?.Epoch,
            _derived.TryGetValue(member.Address, out var previous) ? previous : null);
        _derived[member.Address] = term;
        var primary = Field(info, "master_host") is { } host && IPAddress.TryParse(host, out var address)
            ? context.Members.FirstOrDefault(m => m.Address.Equals(address))
            : null;
        var leader = role == Role.Leader ? member.Id : master ? null : primary?.Id;
        return new NodeStatus { Role = role, Term = term, Leader = leader };
    }

    /// <summary>
    /// A member's role and term. Redis servers have no term; Sentinel's config epochs, persisted by
    /// every Sentinel and never lowered, stand in for one, so a derived term that falls is an artifact
    /// of the derivation, never the system (docs/systems.md shows the history lines). A server that
    /// reports master leads in <paramref name="namedIn"/>, the newest epoch any Sentinel named it the
    /// primary, unless it has held a newer term since (it was demoted, and this is a new promotion
    /// still in flight): then it is a candidate. Otherwise it is in the epoch its own Sentinel
    /// reports (<paramref name="ownEpoch"/>; null when that Sentinel named no one: nothing learnt, so
    /// nothing changes), never below <paramref name="previous"/>, the term it was last given.
    /// </summary>
    public static (Role Role, long Term) Derive(bool master, long? namedIn, long? ownEpoch, long? previous)
    {
        var floor = previous ?? 0;
        if (master && namedIn is { } epoch && epoch >= floor)
        {
            return (Role.Leader, epoch);
        }
        return (master ? Role.Candidate : Role.Follower, Math.Max(ownEpoch ?? floor, floor));
    }

    /// <summary>
    /// Whom this member's Sentinel names the primary, in which config epoch; null when it does not answer or is
    /// failing over.
    /// </summary>
    private static async Task<(IPAddress Primary, long Epoch)?> SentinelViewAsync(
        Member member, CancellationToken cancellation)
    {
        try
        {
            var reply = (List<object?>)(await Resp.CommandAsync(
                member.Address, SentinelPort, ProbeTimeout, cancellation, "SENTINEL", "MASTER", MasterName))!;
            return NamedPrimary(Enumerable.Range(0, reply.Count / 2)
                .ToDictionary(i => (string)reply[2 * i]!, i => reply[2 * i + 1] as string));
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException or Resp.ErrorReply
            or InvalidCastException)
        {
            return null;
        }
    }

    /// <summary>
    /// Whom a <c>SENTINEL MASTER</c> reply names the primary, in which config epoch. Mid-failover the
    /// Sentinel already shows the new epoch beside the old primary's address, until it switches; that
    /// pair names no one (null), nor does a reply without the fields.
    /// </summary>
    public static (IPAddress Primary, long Epoch)? NamedPrimary(IReadOnlyDictionary<string, string?> fields) =>
        fields.GetValueOrDefault("flags") is { } flags
        && !flags.Contains("failover_in_progress", StringComparison.Ordinal)
        && IPAddress.TryParse(fields.GetValueOrDefault("ip"), out var primary)
        && long.TryParse(fields.GetValueOrDefault("config-epoch"), NumberStyles.None, CultureInfo.InvariantCulture,
            out var epoch)
            ? (primary, epoch) : null;

    private static string? Field(string info, string name) =>
        info.Split('\n').Select(l => l.Trim().Split(':', 2)).Where(p => p.Length == 2 && p[0] == name)
            .Select(p => p[1]).FirstOrDefault();

    public override string ClientRouting => "sent to the primary the Sentinel beside the client names";

    public override ISystemClient Connect(SystemContext context, int process) =>
        new RedisWriter(context, context.Members[process % context.Members.Count]);
}
