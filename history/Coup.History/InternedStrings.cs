using System.Text;

namespace Coup.History;

/// <summary>
/// One string for each short UTF-8 text seen again and again (node names, roles, phases, errors), found
/// by its bytes without decoding them first. Holds at most <see cref="TextsMax"/> texts; past that, or for
/// a long text, a new string each time.
/// </summary>
internal sealed class InternedStrings
{
    private const int TextsMax = 4096;
    private const int TextBytesMax = 64;
    /// <summary>Open addressing, twice as many slots as texts, so a probe ends soon.</summary>
    private readonly (byte[] Utf8, string Text)?[] _slots = new (byte[], string)?[2 * TextsMax];
    private int _count;

    public string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > TextBytesMax)
        {
            return Encoding.UTF8.GetString(utf8);
        }
        var mask = _slots.Length - 1;
        for (var slot = Hash(utf8) & mask; ; slot = (slot + 1) & mask)
        {
            if (_slots[slot] is not { } known)
            {
                var text = Encoding.UTF8.GetString(utf8);
                if (_count < TextsMax)
                {
                    _slots[slot] = (utf8.ToArray(), text);
                    _count++;
                }
                return text;
            }
            if (utf8.SequenceEqual(known.Utf8))
            {
                return known.Text;
            }
        }
    }

    /// <summary>FNV-1a over a few bytes.</summary>
    private static int Hash(ReadOnlySpan<byte> utf8)
    {
        var hash = 2166136261u;
        foreach (var b in utf8)
        {
            hash = (hash ^ b) * 16777619u;
        }
        return (int)(hash ^ (hash >> 15));
    }
}
