using System.Runtime.InteropServices;

namespace Coup.NodeHost;

/// <summary>The steps of a write that must survive a crash, each one call, so their order can be tested.</summary>
public interface IDurableDisk
{
    /// <summary>Creates or truncates <paramref name="path"/> and writes <paramref name="contents"/>.</summary>
    void Write(string path, byte[] contents);

    /// <summary>fsync of the file: its contents are on disk.</summary>
    void SyncFile(string path);

    /// <summary>Atomically replaces <paramref name="destination"/>.</summary>
    void Rename(string source, string destination);

    /// <summary>fsync of the directory: the names in it (a rename) are on disk.</summary>
    void SyncDirectory(string directory);
}

/// <summary>The local file system, with POSIX fsync of a directory (which .NET's file API cannot open).</summary>
public sealed class LocalDisk : IDurableDisk
{
    private const int ReadOnly = 0;
    private const int DirectoryOnly = 0x10000;
    private const int CloseOnExec = 0x80000;

    public void Write(string path, byte[] contents) => File.WriteAllBytes(path, contents);

    public void SyncFile(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Write);
        stream.Flush(flushToDisk: true);
    }

    public void Rename(string source, string destination) => File.Move(source, destination, overwrite: true);

    public void SyncDirectory(string directory)
    {
        var descriptor = Open(directory, ReadOnly | DirectoryOnly | CloseOnExec);
        if (descriptor < 0)
        {
            throw new IOException(
                $"cannot open directory {directory} to sync it (errno {Marshal.GetLastPInvokeError()})");
        }
        try
        {
            if (Sync(descriptor) != 0)
            {
                throw new IOException(
                    $"fsync of directory {directory} failed (errno {Marshal.GetLastPInvokeError()})");
            }
        }
        finally
        {
            _ = Close(descriptor);
        }
    }

    // DllImport rather than LibraryImport, whose generated code needs unsafe blocks in the project.
    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static extern int Sync(int descriptor);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int descriptor);
}
