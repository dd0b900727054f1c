using System.CommandLine;
using System.Runtime.InteropServices;
using Coup.Harness.Run;

namespace Coup.Harness.Cli;

/// <summary>The <c>coup</c> command line; tests call it directly.</summary>
public static class CoupCli
{
    public static RootCommand Create() =>
        new($"Coup: stages coups against leader election and checks who ruled. {ExitCodes.Help}")
    {
        RunCommand.Create(),
        CheckCommand.Create(),
        CheckCommand.CreateReport(),
        CleanCommand.Create(),
        AlgorithmsCommand.Create(),
        CompareCommand.Create(),
        PlanCommand.Create(),
        MatrixCommand.Create(),
        MergeCommand.Create(),
        SwarmCommand.Create(),
        ShrinkCommand.Create(),
        ShrinkCommand.CreateReplay(),
    };

    /// <summary>
    /// Parses and runs. <paramref name="cancellation"/> stands in for Ctrl-C in tests; from a
    /// terminal, Ctrl-C and SIGTERM cancel the action, which then heals and cleans up itself; a
    /// second one ends the process at once.
    /// </summary>
    public static Task<int> InvokeAsync(string[] args, CancellationToken cancellation) =>
        InvokeAsync(Create(), args, cancellation);

    /// <summary>Runs <paramref name="root"/>'s commands, handling errors, crashes and interruptions alike.</summary>
    public static async Task<int> InvokeAsync(RootCommand root, string[] args, CancellationToken cancellation)
    {
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            Console.Error.WriteLine($"coup: {Refusal(root, parsed, args)} (see coup --help)");
            return ExitCodes.Usage;
        }
        using var interrupted = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var signalled = false;
        void Interrupt()
        {
            signalled = true;
            Console.Error.WriteLine(
                "coup: interrupting: faults are healed and containers removed first (again to stop at once)");
            interrupted.Cancel();
        }
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = !interrupted.IsCancellationRequested;
            Interrupt();
        };
        Console.CancelKeyPress += onCancel;
        using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = !interrupted.IsCancellationRequested;
            Interrupt();
        });
        try
        {
            var configuration = new InvocationConfiguration
            {
                ProcessTerminationTimeout = null,
                EnableDefaultExceptionHandler = false,
            };
            return await parsed.InvokeAsync(configuration, interrupted.Token);
        }
        catch (OperationCanceledException) when (interrupted.IsCancellationRequested)
        {
            if (!signalled)
            {
                Console.Error.WriteLine("coup: interrupted");
            }
            return ExitCodes.Interrupted;
        }
        catch (Exception e)
        {
            var store = parsed.CommandResult.Command.Options.OfType<Option<string>>()
                .FirstOrDefault(o => o.Name == "--store");
            var storeRoot = (store is null ? null : parsed.GetValue(store)) ?? RunStore.DefaultRoot;
            return CrashLog.Write(e, args, storeRoot, Console.Error);
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    /// <summary>The first parse error, or for a missing or unknown command, the commands there are.</summary>
    private static string Refusal(RootCommand root, ParseResult parsed, string[] args)
    {
        if (parsed.CommandResult.Command != root)
        {
            return Inputs.OneLine(parsed.Errors[0].Message);
        }
        var commands = string.Join(", ", root.Subcommands.Select(c => c.Name));
        return args.Length == 0 ? $"no command given; choose one of: {commands}"
            : args[0].StartsWith('-') ? $"unknown option '{args[0]}' before the command; choose one of: {commands}"
            : $"unknown command '{args[0]}'; choose one of: {commands}";
    }
}
