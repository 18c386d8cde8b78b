using System.Buffers.Binary;
using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;
using CallFunctions.Calls;

namespace CallFunctions.Platform;

/// <summary>
/// A served prompt: its audio, a hash of it, Graph's <c>resourceId</c> for it (made from the hash, so it changes with the
/// audio), or why it cannot be served.
/// </summary>
public sealed record PromptFile(string Name, byte[] Audio, string Hash, string? Error)
{
    public string ResourceId { get; } = ResourceIdOf(Encoding.ASCII.GetBytes(Hash));

    /// <summary>A GUID made from the bytes that identify a prompt: its audio's hash, or an operator's URL.</summary>
    public static string ResourceIdOf(byte[] identity) => new Guid(SHA256.HashData(identity).AsSpan(0, 16)).ToString();
}

/// <summary>
/// The prompts the app serves at <c>GET /api/prompts/{name}</c>: the <c>.wav</c> files of the <c>Prompts</c> folder beside
/// the app (scripts/make-prompts.sh made the defaults; an operator adds their own before deploying). Each is checked as
/// Graph plays prompts: WAV, 16 kHz, 16-bit, mono PCM. A file that is not is never served, and a rule naming it is an
/// error that names the file's fault.
/// </summary>
public sealed class PromptFiles
{
    public const string Folder = "Prompts";

    /// <summary>The format Graph plays: WAV, 16 kHz, 16-bit, mono PCM.</summary>
    public const string Format = "WAV, 16 kHz, 16-bit, mono PCM";

    private static readonly Lazy<PromptFiles> Beside = new(() => Load(Path.Combine(AppContext.BaseDirectory, Folder)));

    private readonly FrozenDictionary<string, PromptFile> _files;

    private PromptFiles(FrozenDictionary<string, PromptFile> files) => _files = files;

    /// <summary>The app's prompts, read once from the folder beside it.</summary>
    public static PromptFiles Served => Beside.Value;

    public IEnumerable<PromptFile> All => _files.Values.OrderBy(f => f.Name, StringComparer.Ordinal);

    public PromptFile? Find(string name) => _files.GetValueOrDefault(name);

    /// <summary>Why a rule may not name this prompt (missing, or not in Graph's format); null when it is served.</summary>
    public string? Refuses(string name) =>
        Find(name) switch
        {
            null => $"names no served prompt: the app serves {string.Join(", ", _files.Keys.Order(StringComparer.Ordinal))} (the .wav files of its {Folder} folder)",
            { Error: { } error } => $"names the served prompt {name}.wav, which cannot be played: {error}",
            _ => null,
        };

    public static PromptFiles Load(string folder)
    {
        var files = new Dictionary<string, PromptFile>(StringComparer.Ordinal);
        if (Directory.Exists(folder))
            foreach (var path in Directory.EnumerateFiles(folder, "*.wav"))
            {
                var name = Path.GetFileNameWithoutExtension(path);
                if (!ChallengeTerms.IsPromptName(name)) continue;
                var audio = File.ReadAllBytes(path);
                files[name] = new PromptFile(name, audio, Convert.ToHexStringLower(SHA256.HashData(audio)), Check(audio));
            }
        return new PromptFiles(files.ToFrozenDictionary(StringComparer.Ordinal));
    }

    /// <summary>Null for a WAV file Graph can play; otherwise what is wrong with it.</summary>
    public static string? Check(ReadOnlySpan<byte> wav)
    {
        if (wav.Length < 12 || !wav[..4].SequenceEqual("RIFF"u8) || !wav[8..12].SequenceEqual("WAVE"u8))
            return $"it is not a WAV file (Graph plays {Format})";
        var at = 12;
        var sawFormat = false;
        while (at + 8 <= wav.Length)
        {
            var id = wav.Slice(at, 4);
            var size = BinaryPrimitives.ReadInt32LittleEndian(wav.Slice(at + 4, 4));
            if (size < 0 || at + 8 + size > wav.Length) return "its chunks run past the end of the file";
            var body = wav.Slice(at + 8, size);
            if (id.SequenceEqual("fmt "u8))
            {
                if (body.Length < 16) return "its format chunk is too short";
                var encoding = BinaryPrimitives.ReadUInt16LittleEndian(body);
                var channels = BinaryPrimitives.ReadUInt16LittleEndian(body[2..]);
                var rate = BinaryPrimitives.ReadInt32LittleEndian(body[4..]);
                var bits = BinaryPrimitives.ReadUInt16LittleEndian(body[14..]);
                if (encoding != 1 || channels != 1 || rate != 16_000 || bits != 16)
                    return $"it is {(encoding == 1 ? "PCM" : $"encoding {encoding}")}, {rate} Hz, {bits}-bit, {channels} channel(s); Graph plays {Format}";
                sawFormat = true;
            }
            else if (id.SequenceEqual("data"u8))
            {
                return sawFormat ? (size > 0 ? null : "it holds no audio") : "its audio comes before its format chunk";
            }
            at += 8 + size + (size & 1);
        }
        return "it has no audio (data chunk)";
    }
}
