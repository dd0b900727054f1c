using System.Globalization;
using Coup.Nodes;

namespace Coup.Harness.Run;

/// <summary>
/// The settings of Coup's own algorithms, <c>--set name=value</c> without <c>--system</c>: the one place
/// their names, defaults and ranges are defined, and how each runtime applies them (the simulator's
/// cluster template, the node host's environment), so a setting means the same in both.
/// </summary>
public sealed record AlgorithmSettings
{
    /// <summary>The setting's name, as <c>--set</c> and a plan's <c>settings</c> take it.</summary>
    public const string ElectionTimeoutName = "election-timeout-ms";

    /// <summary>
    /// The least election timeout t; each node draws its timeouts from [t, 2t], as etcd does. At least
    /// three of the algorithms' 30 ms heartbeats, at most 5 s (a slower cluster needs a longer
    /// <c>--quiet</c> to settle before the final observation).
    /// </summary>
    public static readonly Limit<int> ElectionTimeoutMs = new(
        $"--set {ElectionTimeoutName}", Defaults.ElectionTimeoutMsMin, 100, 5_000, " ms");

    private static ClusterConfig Defaults => new() { Self = 0, Members = [] };

    public int ElectionTimeoutMsMin { get; init; } = ElectionTimeoutMs.Default;

    /// <summary>Every setting with its default, <c>name=default</c>, for errors and help.</summary>
    public static string Listed => $"{ElectionTimeoutName}={ElectionTimeoutMs.Default}";

    /// <summary>The settings after <paramref name="overrides"/> (<c>name=value</c>), each checked.</summary>
    /// <exception cref="CoupException">An unknown name or a value out of range, in one line.</exception>
    public static AlgorithmSettings From(IEnumerable<string> overrides)
    {
        var settings = new AlgorithmSettings();
        foreach (var entry in overrides)
        {
            if (OptionLimits.Setting(entry) is not (ElectionTimeoutName, var value))
            {
                throw CoupException.Usage(
                    $"--set '{entry}': an algorithm's settings are {Listed}; the others are a real system's");
            }
            if (!OptionLimits.TryParse(value, out int timeoutMs))
            {
                throw CoupException.Usage($"--set {ElectionTimeoutName}={value}: must be a whole number of ms");
            }
            settings = settings with { ElectionTimeoutMsMin = ElectionTimeoutMs.Checked(timeoutMs) };
        }
        return settings;
    }

    /// <summary>What the simulator's nodes are configured with (members and self are its own).</summary>
    public ClusterConfig Cluster => Defaults with
    {
        ElectionTimeoutMsMin = ElectionTimeoutMsMin,
        ElectionTimeoutMsMax = 2 * ElectionTimeoutMsMin,
    };

    /// <summary>What the node host reads the same configuration from (<c>NodeOptions.FromEnvironment</c>).</summary>
    public IReadOnlyDictionary<string, string> NodeEnvironment => new Dictionary<string, string>
    {
        ["COUP_ELECTION_TIMEOUT_MS"] = string.Create(CultureInfo.InvariantCulture,
            $"{Cluster.ElectionTimeoutMsMin}-{Cluster.ElectionTimeoutMsMax}"),
    };
}
