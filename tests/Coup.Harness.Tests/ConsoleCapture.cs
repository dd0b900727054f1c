using Coup.Harness.Cli;

namespace Coup.Harness.Tests;

/// <summary>Tests that redirect the process's console run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsoleCollection
{
    public const string Name = "console";
}

/// <summary>What one <c>coup</c> invocation printed and returned.</summary>
public sealed record Invocation(int Exit, string Out, string Error)
{
    public IReadOnlyList<string> ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>
    /// Runs <c>coup</c> in-process with stdout and stderr captured; <paramref name="root"/> adds
    /// commands, <paramref name="output"/> replaces the captured stdout.
    /// </summary>
    public static async Task<Invocation> Of(string[] args, CancellationToken cancellation = default,
        System.CommandLine.RootCommand? root = null, StringWriter? output = null)
    {
        var (stdout, stderr) = (Console.Out, Console.Error);
        output ??= new StringWriter();
        using var error = new StringWriter();
        Console.SetOut(output);
        Console.SetError(error);
        try
        {
            // Off the test's thread: a simulated run computes synchronously until it ends.
            var exit = await Task.Run(
                () => CoupCli.InvokeAsync(root ?? CoupCli.Create(), args, cancellation), CancellationToken.None);
            return new Invocation(exit, output.ToString(), error.ToString());
        }
        finally
        {
            Console.SetOut(stdout);
            Console.SetError(stderr);
            output.Dispose();
        }
    }
}
