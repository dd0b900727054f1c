using System.Runtime.InteropServices;

namespace Coup.NodeHost;

/// <summary>
/// A node host made new in its container without the engine's container start (bench/README.md,
/// "Per-run overhead"): <c>POST /reset</c> with the next run's <c>COUP_*</c> settings writes them to
/// <see cref="SettingsFile"/>, which replaces the container's environment from then on (a node the
/// nemesis kills starts again with them), and the process re-executes itself. The new process image
/// keeps the container, its pid and its stdout; nothing else survives (sockets are close-on-exec).
/// It wipes the data directory before it reads anything, being told so by <see cref="WipeVariable"/>.
/// </summary>
public static partial class Reset
{
    public const string SettingsFile = "/etc/coup/node.env";
    public const string WipeVariable = "COUP_WIPE";

    /// <summary>The settings in force: the file's once a reset wrote it, else the environment's.</summary>
    public static Func<string, string?> Settings(Func<string, string?> environment) =>
        File.Exists(SettingsFile) ? Lookup(File.ReadAllText(SettingsFile)) : environment;

    /// <summary><c>NAME=value</c> lines; a name the text does not give is unset.</summary>
    public static Func<string, string?> Lookup(string text)
    {
        var settings = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split('=', 2)).Where(pair => pair.Length == 2)
            .ToDictionary(pair => pair[0], pair => pair[1]);
        return name => settings.GetValueOrDefault(name);
    }

    /// <summary>Empties the data directory when this process was started by a reset.</summary>
    public static void WipeIfAsked(string dataDirectory)
    {
        if (Environment.GetEnvironmentVariable(WipeVariable) == "1" && Directory.Exists(dataDirectory))
        {
            foreach (var entry in new DirectoryInfo(dataDirectory).EnumerateFileSystemInfos())
            {
                if (entry is DirectoryInfo directory)
                {
                    directory.Delete(recursive: true);
                }
                else
                {
                    entry.Delete();
                }
            }
        }
    }

    /// <summary>Writes the settings (validated) and becomes a new node host; returns only on failure.</summary>
    public static unsafe string ExecuteAgain(string settings)
    {
        File.WriteAllText(SettingsFile + ".tmp", settings);
        File.Move(SettingsFile + ".tmp", SettingsFile, overwrite: true);
        Console.Error.WriteLine("coup-node: reset; starting again with new settings and an empty data directory");
        var path = Environment.ProcessPath ?? "/proc/self/exe";
        var environment = Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(name => name != WipeVariable)
            .Select(name => $"{name}={Environment.GetEnvironmentVariable(name)}")
            .Append($"{WipeVariable}=1");
        var argv = NullTerminated([path, .. Environment.GetCommandLineArgs().Skip(1)]);
        var envp = NullTerminated([.. environment]);
        fixed (nint* argvPointer = argv, envpPointer = envp)
        {
            Execve(path, argvPointer, envpPointer);
        }
        return $"execve {path} failed: errno {Marshal.GetLastPInvokeError()}";
    }

    private static nint[] NullTerminated(string[] strings) =>
        [.. strings.Select(Marshal.StringToCoTaskMemUTF8), 0];

    [LibraryImport("libc", EntryPoint = "execve", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int Execve(string path, nint* argv, nint* envp);
}
