using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Coup.Nodes;

namespace Coup.Harness.Systems;

/// <summary>
/// etcd 3.4 from Debian's <c>etcd-server</c>: Raft. Each member is probed over HTTP for its raft
/// node's own status (term, leader, state), which dotnet-etcd does not expose; writes are KV puts
/// through dotnet-etcd (<see cref="EtcdWriter"/>). etcd is written in Go, whose runtime reads the
/// clock through the vDSO without libc, so libfaketime cannot reach it and clock faults are refused.
/// </summary>
public sealed class Etcd : ClusterSystem
{
    public const int ClientPort = 2379;
    public const int PeerPort = 2380;

    public override string Name => "etcd";
    public override string Description => "etcd 3.4 (Debian etcd-server): Raft with check-quorum";
    public override string Safety => "one leader per term (Raft); writes need a majority";
    public override string Dockerfile => "etcd.Dockerfile";
    public override string? ClockRefusal =>
        "etcd is written in Go, which reads the clock through the vDSO without libc, so libfaketime cannot skew it; "
            + "drop clock from --nemesis";

    /// <summary>
    /// The same as Coup's Raft: 30 ms heartbeats, elections after 150-300 ms (etcd randomizes in [t, 2t)).
    /// </summary>
    public override IReadOnlyDictionary<string, string> Defaults { get; } = new Dictionary<string, string>
    {
        ["heartbeat-ms"] = "30",
        ["election-timeout-ms"] = "150",
        ["pre-vote"] = "false",
    };

    public override IReadOnlyList<string> Command(
        Member self, IReadOnlyList<Member> members, SystemSettings settings) =>
    [
        "etcd", "--name", self.Node, "--data-dir", "/data/etcd",
        "--listen-peer-urls", $"http://0.0.0.0:{PeerPort}",
        "--initial-advertise-peer-urls", $"http://{self.Address}:{PeerPort}",
        "--listen-client-urls", $"http://0.0.0.0:{ClientPort}",
        "--advertise-client-urls", $"http://{self.Address}:{ClientPort}",
        "--initial-cluster", string.Join(",", members.Select(m => $"{m.Node}=http://{m.Address}:{PeerPort}")),
        "--initial-cluster-state", "new", "--initial-cluster-token", "coup",
        "--heartbeat-interval", settings.Int("heartbeat-ms").ToString(),
        "--election-timeout", settings.Int("election-timeout-ms").ToString(),
        $"--pre-vote={(settings.Bool("pre-vote") ? "true" : "false")}",
    ];

    private static readonly HttpClient Http =
        new() { Timeout = TimeSpan.FromMilliseconds(WriteContract.TimeoutMs + 500) };

    /// <summary>
    /// Member ids are derived from the peer URLs and are stable across restarts; learned once per run.
    /// </summary>
    private readonly ConcurrentDictionary<string, string> _names = new();

    /// <summary>
    /// Asks the member's raft node itself, through the expvar <c>raft.status</c> at /debug/vars: its
    /// term, the leader it follows and its state, read together. The maintenance status is not used:
    /// its leader is current but its term is that of the last applied entry, so for a moment after
    /// an election it names the new leader with the old term.
    /// </summary>
    public override async Task<NodeStatus> ProbeAsync(
        Member member, SystemContext context, CancellationToken cancellation)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        deadline.CancelAfter(TimeSpan.FromMilliseconds(500));
        var vars = JsonNode.Parse(
            await Http.GetStringAsync($"http://{member.Address}:{ClientPort}/debug/vars", deadline.Token));
        var raft = vars?["raft.status"] ?? throw new IOException($"{member.Node}: no raft.status in /debug/vars yet");
        var self = Id(raft["id"]!.GetValue<string>());
        var leader = Id(raft["lead"]!.GetValue<string>());
        _names[self] = member.Node;
        var leaderNode = leader == "0" ? null : await NameOfAsync(member, leader, cancellation);
        return new NodeStatus
        {
            Role = raft["raftState"]!.GetValue<string>() switch
            {
                "StateLeader" => Role.Leader,
                "StateCandidate" or "StatePreCandidate" => Role.Candidate,
                _ => Role.Follower,
            },
            Term = raft["term"]!.GetValue<long>(),
            Leader = leaderNode is null ? null : NodeNames.IdOf(leaderNode),
        };
    }

    /// <summary>raft.status writes member ids in hex; the member list in decimal.</summary>
    private static string Id(string hex) =>
        ulong.Parse(hex, System.Globalization.NumberStyles.HexNumber)
            .ToString(System.Globalization.CultureInfo.InvariantCulture);

    private async Task<string?> NameOfAsync(Member asked, string id, CancellationToken cancellation)
    {
        if (!_names.ContainsKey(id))
        {
            var list = await PostAsync(
                asked, "cluster/member/list", "{}", TimeSpan.FromMilliseconds(500), cancellation);
            foreach (var entry in list["members"]!.AsArray())
            {
                if (entry!["name"]?.GetValue<string>() is { Length: > 0 } name)
                {
                    _names[entry["ID"]!.GetValue<string>()] = name;
                }
            }
        }
        return _names.GetValueOrDefault(id);
    }

    private static async Task<JsonNode> PostAsync(
        Member member, string path, string body, TimeSpan timeout, CancellationToken cancellation)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        deadline.CancelAfter(timeout);
        using var response = await Http.PostAsync($"http://{member.Address}:{ClientPort}/v3/{path}",
            new StringContent(body, Encoding.UTF8, "application/json"), deadline.Token);
        var text = await response.Content.ReadAsStringAsync(deadline.Token);
        var json = JsonNode.Parse(text) ?? throw new IOException($"{member.Node}: empty answer to {path}");
        return response.IsSuccessStatusCode ? json
            : throw new EtcdError(json["error"]?.GetValue<string>() ?? json["message"]?.GetValue<string>()
                ?? $"HTTP {(int)response.StatusCode}");
    }

    public override ISystemClient Connect(SystemContext context, int process) =>
        new EtcdWriter(this, context, process);

    private sealed class EtcdError(string message) : Exception(message);
}
