using System.CommandLine;
using System.CommandLine.Parsing;
using Coup.Faults;
using Coup.Harness.Run;
using static System.FormattableString;

namespace Coup.Harness.Cli;

/// <summary>
/// Options that parse and bound their own values, so a bad one is a one-line parse error before
/// any work starts; and the checks of paths the commands will write to.
/// </summary>
internal static class Inputs
{
    public static Option<double> Number(Limit<double> limit, string description, params string[] aliases) =>
        Bounded(limit, description, aliases, (string text, out double value) => OptionLimits.TryParse(text, out value),
            "a number ('.' for decimals, no thousands separator)");

    public static Option<int> Whole(Limit<int> limit, string description, params string[] aliases) =>
        Bounded(limit, description, aliases,
            (string text, out int value) => OptionLimits.TryParse(text, out value), "a whole number");

    /// <summary><c>--seed</c>: any whole number in range; absent means a fresh one, printed.</summary>
    public static Option<int?> Seed(string description)
    {
        var limit = OptionLimits.Seed;
        var option = new Option<int?>(limit.Option)
        {
            Description = Invariant($"{description} ({limit.Min} to {limit.Max})"),
        };
        option.CustomParser = result =>
        {
            var text = result.Tokens.Single().Value;
            if (!OptionLimits.TryParse(text, out int value))
            {
                result.AddError(Invariant(
                    $"{limit.Option} must be a whole number from {limit.Min} to {limit.Max}, got '{text}'"));
                return null;
            }
            return Refused(result, limit.Problem(value)) ? null : value;
        };
        return option;
    }

    /// <summary><c>--nemesis</c>: distinct known kinds, or <c>none</c> alone.</summary>
    public static Option<IReadOnlyList<FaultChoice>> Nemesis(string defaultText, string description)
    {
        var option = new Option<IReadOnlyList<FaultChoice>>("--nemesis")
        {
            Description = $"{description} (default {defaultText})",
            DefaultValueFactory = result => ParseNemesis(defaultText, out _)!,
        };
        option.CustomParser = result =>
        {
            var kinds = ParseNemesis(result.Tokens.Single().Value, out var problem);
            return Refused(result, problem) ? [] : kinds!;
        };
        return option;
    }

    public static Option<RuntimeKind> Runtime()
    {
        var option = new Option<RuntimeKind>("--runtime")
        {
            Description = "docker (real containers) or sim (in-process simulator); default docker",
            HelpName = "docker|sim",
            DefaultValueFactory = _ => RuntimeKind.Docker,
        };
        option.CustomParser = result =>
        {
            var text = result.Tokens.Single().Value;
            Refused(result, text is "docker" or "sim" ? null : $"--runtime must be docker or sim, got '{text}'");
            return text == "sim" ? RuntimeKind.Sim : RuntimeKind.Docker;
        };
        return option;
    }

    /// <summary>The kinds in <paramref name="text"/>, or null with the one-line reason.</summary>
    public static IReadOnlyList<FaultChoice>? ParseNemesis(string text, out string? problem)
    {
        var names = text.Split(',', StringSplitOptions.TrimEntries);
        problem = null;
        if (names.Length == 1 && names[0] == "none")
        {
            return [];
        }
        var choices = new List<FaultChoice>();
        foreach (var name in names)
        {
            string? nameProblem = null;
            var choice = name is "" or "none" ? null : FaultChoice.Parse(name, out nameProblem);
            problem = name switch
            {
                "" => $"--nemesis '{text}' has an empty name; give a comma-separated list of " +
                    $"{FaultChoice.Vocabulary}, or none",
                "none" => $"--nemesis '{text}': none means no faults and stands alone; drop it or the other kinds",
                _ when choice is null && nameProblem!.StartsWith("unknown nemesis", StringComparison.Ordinal) =>
                    $"unknown nemesis '{name}'; use a comma-separated list of {FaultChoice.Vocabulary}, or none",
                _ when choice is null => $"--nemesis: {nameProblem}",
                _ when choices.Any(c => c.Name == choice.Name) =>
                    $"--nemesis '{text}' names {name} twice; name each kind once",
                _ => null,
            };
            if (problem is not null)
            {
                return null;
            }
            choices.Add(choice!);
        }
        return choices;
    }

    /// <summary>
    /// Refuses a directory Coup cannot create or write a file in, before any work; the probe file
    /// is removed again.
    /// </summary>
    public static string WritableDirectory(string path, string what)
    {
        try
        {
            if (File.Exists(path))
            {
                throw CoupException.Usage($"{what} {path} is a file, not a directory; pass a writable directory");
            }
            var directory = Directory.CreateDirectory(path).FullName;
            var probe = Path.Combine(directory, $".coup-probe-{Environment.ProcessId}");
            File.WriteAllText(probe, "");
            File.Delete(probe);
            return directory;
        }
        catch (Exception e) when (IsPathProblem(e))
        {
            throw CoupException.Usage(
                $"{what} {path} is not a writable directory ({OneLine(e.Message)}); pass one Coup may write in");
        }
    }

    /// <summary>Refuses an output file Coup could not write, before any work.</summary>
    public static string WritableFile(string path, string what)
    {
        if (Directory.Exists(path))
        {
            throw CoupException.Usage($"{what} {path} is a directory; pass a file name");
        }
        var parent = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (!Directory.Exists(parent))
        {
            throw CoupException.Usage(
                $"{what} {path}: the directory {parent} does not exist; create it or pass another path");
        }
        WritableDirectory(parent, what);
        return path;
    }

    /// <summary>Refuses a file Coup must read that is missing, a directory, or unreadable.</summary>
    public static string ReadableFile(string path, string what)
    {
        if (Directory.Exists(path))
        {
            throw CoupException.Usage($"{path} is a directory, not {what}");
        }
        if (!File.Exists(path))
        {
            throw CoupException.Usage($"{path} is missing: no {what} there");
        }
        try
        {
            using var _ = File.OpenRead(path);
            return path;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CoupException.Usage($"{path} cannot be read ({OneLine(e.Message)}); fix its permissions");
        }
    }

    public static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();

    private delegate bool TryParseText<T>(string text, out T value);

    /// <summary>What the file system throws for a path Coup may not use; anything else is a bug.</summary>
    public static bool IsPathProblem(Exception e) =>
        e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException;

    private static Option<T> Bounded<T>(
        Limit<T> limit, string description, string[] aliases, TryParseText<T> parse, string expected)
        where T : struct, System.Numerics.INumber<T>
    {
        var option = new Option<T>(limit.Option, aliases)
        {
            Description = $"{description} ({limit.Help})",
            DefaultValueFactory = _ => limit.Default,
        };
        option.CustomParser = result =>
        {
            var text = result.Tokens.Single().Value;
            if (!parse(text, out var value))
            {
                result.AddError(Invariant(
                    $"{limit.Option} must be {expected} from {limit.Min} to {limit.Max}{limit.Unit}, got '{text}'"));
                return limit.Default;
            }
            return Refused(result, limit.Problem(value)) ? limit.Default : value;
        };
        return option;
    }

    private static bool Refused(ArgumentResult result, string? problem)
    {
        if (problem is not null)
        {
            result.AddError(problem);
        }
        return problem is not null;
    }
}
