using Coup.Nodes;

namespace Coup.NodeHost;

/// <summary>The node's configuration, from environment variables the harness sets on the container.</summary>
public sealed record NodeOptions
{
    public required string Algorithm { get; init; }
    public required ClusterConfig Cluster { get; init; }
    /// <summary>Peer id to host name or address.</summary>
    public required IReadOnlyDictionary<int, string> PeerAddresses { get; init; }
    public required string DataDirectory { get; init; }
    /// <summary>The run's seed (COUP_SEED); each boot's own is derived from it by <see cref="Seeds.Node"/>.</summary>
    public required int RunSeed { get; init; }

    /// <summary>
    /// COUP_ALGORITHM, COUP_SELF (n3), COUP_MEMBERS (n1=10.1.0.11,n2=...), COUP_DATA, COUP_SEED,
    /// COUP_ELECTION_TIMEOUT_MS (150-300), COUP_HEARTBEAT_MS (30).
    /// </summary>
    public static NodeOptions FromEnvironment(Func<string, string?> get)
    {
        string Required(string name) => get(name) ?? throw new ArgumentException($"{name} is not set");
        var algorithm = Required("COUP_ALGORITHM");
        if (!Algorithms.IsKnown(algorithm))
        {
            throw new ArgumentException(
                $"COUP_ALGORITHM '{algorithm}' is unknown; known: {string.Join(", ", Algorithms.Names)}");
        }
        var self = NodeNames.IdOf(Required("COUP_SELF"));
        var members = Required("COUP_MEMBERS").Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(entry => entry.Split('=', 2))
            .ToDictionary(pair => NodeNames.IdOf(pair[0]), pair => pair.Length == 2 ? pair[1] : pair[0]);
        if (!members.ContainsKey(self))
        {
            throw new ArgumentException($"COUP_MEMBERS does not list COUP_SELF n{self}");
        }
        var timeout = (get("COUP_ELECTION_TIMEOUT_MS") ?? "150-300").Split('-');
        var cluster = new ClusterConfig
        {
            Self = self,
            Members = [.. members.Keys.Order()],
            ElectionTimeoutMsMin = int.Parse(timeout[0]),
            ElectionTimeoutMsMax = int.Parse(timeout[^1]),
            HeartbeatMs = int.Parse(get("COUP_HEARTBEAT_MS") ?? "30"),
        };
        return new NodeOptions
        {
            Algorithm = algorithm,
            Cluster = cluster,
            PeerAddresses = members.Where(m => m.Key != self).ToDictionary(),
            DataDirectory = get("COUP_DATA") ?? "/data",
            RunSeed = int.Parse(get("COUP_SEED") ?? "0"),
        };
    }
}
