using Coup.History;

namespace Coup.Harness.Cli;

/// <summary>Turns a user-fixable problem into its one-line message and exit code.</summary>
internal static class Guard
{
    public static async Task<int> Run(Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (CoupException e)
        {
            Console.Error.WriteLine($"coup: {e.Message}");
            return e.ExitCode;
        }
        catch (HistoryFormatException e)
        {
            Console.Error.WriteLine($"coup: {e.Message}");
            Console.WriteLine("verdict: unknown");
            return ExitCodes.Unknown;
        }
    }
}
