using System.Globalization;
using Coup.Harness.Run;
using Coup.Nodes;

namespace Coup.Harness.Swarm;

/// <summary>
/// What <c>coup swarm</c> is asked for: one algorithm, seeds first..first+count-1, how many at once.
/// </summary>
public sealed record SwarmOptions
{
    public required string Algorithm { get; init; }
    public int Seeds { get; init; } = OptionLimits.SwarmSeeds.Default;
    public int FirstSeed { get; init; } = 1;
    public int Parallel { get; init; } = OptionLimits.Parallel.Default;
    public string Store { get; init; } = RunStore.DefaultRoot;
    /// <summary>Keep every seed's history, not only the failing ones'.</summary>
    public bool KeepAll { get; init; }

    public int LastSeed => FirstSeed + Seeds - 1;

    /// <summary>Checks every option; the first problem becomes a one-line usage error.</summary>
    public SwarmOptions Validated()
    {
        if (!Algorithms.IsKnown(Algorithm))
        {
            throw CoupException.Usage(
                $"unknown algorithm '{Algorithm}'; choose one of: {string.Join(", ", Algorithms.Names)}");
        }
        OptionLimits.SwarmSeeds.Checked(Seeds);
        OptionLimits.Seed.Checked(FirstSeed);
        OptionLimits.Parallel.Checked(Parallel);
        if ((long)FirstSeed + Seeds - 1 > OptionLimits.Seed.Max)
        {
            throw CoupException.Usage(string.Create(CultureInfo.InvariantCulture,
                $"--first-seed {FirstSeed} with --seeds {Seeds} goes past the last seed, {OptionLimits.Seed.Max}; "
                + $"lower one of them"));
        }
        return this;
    }

    /// <summary>The command line that runs this swarm again.</summary>
    public string Command => string.Create(CultureInfo.InvariantCulture,
        $"./coup swarm --algorithm {Algorithm} --seeds {Seeds} --first-seed {FirstSeed} --parallel {Parallel}"
        + $"{(KeepAll ? " --keep-all" : "")}");
}
