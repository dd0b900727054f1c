using System.CommandLine;

namespace Coup.Harness.Cli;

/// <summary>The <c>coup</c> command line; tests call it directly.</summary>
public static class CoupCli
{
    public static RootCommand Create() => new("Coup: stages coups against leader election and checks who ruled")
    {
        RunCommand.Create(),
        CheckCommand.Create(),
        CheckCommand.CreateReport(),
        CleanCommand.Create(),
        AlgorithmsCommand.Create(),
        CompareCommand.Create(),
    };

    /// <summary>
    /// Parses and runs. <paramref name="cancellation"/> stands in for Ctrl-C in tests; from a
    /// terminal, Ctrl-C and SIGTERM cancel the action, which then heals and cleans up itself.
    /// </summary>
    public static async Task<int> InvokeAsync(string[] args, CancellationToken cancellation)
    {
        var parsed = Create().Parse(args);
        if (parsed.Errors.Count > 0)
        {
            Console.Error.WriteLine($"coup: {parsed.Errors[0].Message} (see coup --help)");
            return ExitCodes.Usage;
        }
        using var interrupted = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            Console.Error.WriteLine("coup: interrupted; healing faults and removing containers");
            interrupted.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        using var onTerm = System.Runtime.InteropServices.PosixSignalRegistration.Create(
            System.Runtime.InteropServices.PosixSignal.SIGTERM, context => { context.Cancel = true; interrupted.Cancel(); });
        try
        {
            return await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }, interrupted.Token);
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }
}
