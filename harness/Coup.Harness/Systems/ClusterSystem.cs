using System.Net;
using Coup.Harness.Docker;
using Coup.Harness.Run;
using Coup.History;
using Coup.Nodes;

namespace Coup.Harness.Systems;

/// <summary>
/// A real system under test (etcd, ZooKeeper, Redis Sentinel) run in containers instead of
/// Coup's own node host: how its members are started, how the harness learns each member's
/// role and term, and how a client writes to it. Kill, pause and partitions act on its
/// containers exactly as on Coup's nodes.
/// </summary>
public abstract class ClusterSystem
{
    public abstract string Name { get; }
    public abstract string Description { get; }
    public abstract string Safety { get; }

    /// <summary>The Dockerfile under <c>nodes/images/</c> that installs the system on the base image.</summary>
    public abstract string Dockerfile { get; }

    /// <summary>Settings and their defaults; <c>--set name=value</c> overrides them.</summary>
    public abstract IReadOnlyDictionary<string, string> Defaults { get; }

    public virtual int NodesMin => 1;

    /// <summary>
    /// Why clock faults are refused for this system, or null when they work: libfaketime must reach
    /// the process, and the harness must be able to read the process's clock back, to stamp the fault
    /// when it shows (<see cref="ReadClockAsync"/>).
    /// </summary>
    public abstract string? ClockRefusal { get; }

    /// <summary>The member's wall clock as the server process reads it.</summary>
    /// <param name="log">The member's output since a time.</param>
    public virtual Task<ClockReading> ReadClockAsync(Member member, MemberLog log, CancellationToken cancellation) =>
        throw new NotSupportedException($"{Name} offers no clock reading: {ClockRefusal}");

    /// <summary>The command (argv) that starts one member.</summary>
    public abstract IReadOnlyList<string> Command(Member self, IReadOnlyList<Member> members, SystemSettings settings);

    /// <summary>
    /// Asks one member what it is. Throws (HttpRequestException, IOException, a timeout) when it
    /// does not answer; returns a follower without a leader while it serves no one.
    /// </summary>
    public abstract Task<NodeStatus> ProbeAsync(Member member, SystemContext context, CancellationToken cancellation);

    /// <summary>Where the system's clients send writes, as the run's history says it.</summary>
    public virtual string ClientRouting => WriteRouting.FollowsObservedLeader;

    /// <summary>A client session for one workload process.</summary>
    public abstract ISystemClient Connect(SystemContext context, int process);

    /// <summary>
    /// The leader <paramref name="member"/> follows, asked right after it answered a write of
    /// <paramref name="term"/>: it is the leader that took the write when the member is still in
    /// that term; otherwise <see cref="ClientOp.UnknownLeader"/>.
    /// </summary>
    public async Task<string> LeaderInTermAsync(Member member, SystemContext context, long term)
    {
        try
        {
            var status = await ProbeAsync(member, context, CancellationToken.None);
            return status.Term == term && status.Leader is { } leader ? NodeNames.Of(leader) : ClientOp.UnknownLeader;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return ClientOp.UnknownLeader;
        }
    }
}

/// <summary>One member: its node name (n1..), id (1..) and address on the run's network.</summary>
public sealed record Member(string Node, IPAddress Address)
{
    public int Id => NodeNames.IdOf(Node);
}

/// <summary>What probes and clients share in one run: the members and the settings.</summary>
public sealed class SystemContext(IReadOnlyList<Member> members, SystemSettings settings)
{
    public IReadOnlyList<Member> Members { get; } = members;
    public SystemSettings Settings { get; } = settings;
    public Member this[string node] => Members.Single(m => m.Node == node);
}

/// <summary>
/// A client of the system. Writes go to <paramref name="node"/> (the server the client
/// believes leads, or any when it knows none); the outcome says which leader acknowledged.
/// </summary>
public interface ISystemClient : IAsyncDisposable
{
    ValueTask<SystemWrite> WriteAsync(string node, long value, CancellationToken cancellation);

    /// <summary>
    /// The member this client will write to next, if the client decides (a session kept on one
    /// server, or the primary a Sentinel names); null lets the workload choose.
    /// </summary>
    ValueTask<string?> ServerAsync(CancellationToken cancellation) => ValueTask.FromResult<string?>(null);
}

/// <summary>
/// A write's outcome and, when it went through another member, the leader that member
/// reported for the write's term (null when it could not be told; the write is then left out
/// of the same-term comparison, not attributed to the member the client talked to).
/// </summary>
public sealed record SystemWrite(WriteOutcome Outcome, string? AcknowledgedBy);

/// <summary>The system's settings after <c>--set</c> overrides, checked against its defaults.</summary>
public sealed class SystemSettings
{
    private readonly Dictionary<string, string> _values;

    private SystemSettings(Dictionary<string, string> values) => _values = values;

    public static SystemSettings From(ClusterSystem system, IEnumerable<string> overrides)
    {
        var values = new Dictionary<string, string>(system.Defaults);
        foreach (var entry in overrides)
        {
            if (OptionLimits.Setting(entry) is not var (name, value) || !values.ContainsKey(name))
            {
                throw CoupException.Usage(
                    $"--set '{entry}': {system.Name} settings are "
                        + $"{string.Join(", ", system.Defaults.Select(d => $"{d.Key}={d.Value}"))}");
            }
            // A setting takes values of its default's kind: a positive whole number, or true/false.
            if (bool.TryParse(values[name], out _)
                ? !bool.TryParse(value, out _)
                : !(int.TryParse(value, out var number) && number > 0))
            {
                throw CoupException.Usage(
                    $"--set {name}={value}: must be "
                        + $"{(bool.TryParse(values[name], out _) ? "true or false" : "a positive whole number")}");
            }
            values[name] = value;
        }
        return new SystemSettings(values);
    }

    public bool Bool(string name) => bool.Parse(_values[name]);

    public IReadOnlyDictionary<string, string> Values => _values;

    public int Int(string name) => int.Parse(_values[name]);
}

/// <summary>The real systems Coup can run, by name.</summary>
public static class ClusterSystems
{
    private static readonly Func<ClusterSystem>[] Factories =
        [() => new Etcd(), () => new ZooKeeper(), () => new RedisSentinel()];

    public static IEnumerable<string> Names => Factories.Select(f => f().Name);

    /// <summary>
    /// A fresh instance for one run: a system keeps what its run has learnt (member ids, epochs
    /// seen), which must not leak into the next run in the same process.
    /// </summary>
    public static ClusterSystem Find(string name) =>
        Factories.Select(f => f()).SingleOrDefault(s => s.Name == name)
        ?? throw CoupException.Usage($"unknown system '{name}'; choose one of: {string.Join(", ", Names)}");
}
