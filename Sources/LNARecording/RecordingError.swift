/// Why a recording could not be made or resumed. Every message is one line naming the file or setting.
///
/// ```swift
/// throw RecordingError.checkpointMismatch(path: "acts/en.safetensors.partial", field: "max_len")
/// ```
public enum RecordingError: Error, CustomStringConvertible, Equatable {
    /// A setting is out of range (`--shard 4/4`, `--max-len 0`...).
    case invalidSetting(String)
    /// A file could not be read or written.
    case io(path: String, reason: String)
    /// A checkpoint exists but was made with other settings, data or model.
    case checkpointMismatch(path: String, reason: String)
    /// The data has nothing to record.
    case emptyInput(String)

    public var description: String {
        switch self {
        case let .invalidSetting(message): return message
        case let .io(path, reason): return "\(path): \(reason)"
        case let .checkpointMismatch(path, reason):
            return "\(path): the checkpoint was made with other settings (\(reason)); delete it or run without --resume to start over"
        case let .emptyInput(message): return message
        }
    }
}
