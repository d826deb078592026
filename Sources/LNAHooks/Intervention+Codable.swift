/// The JSON shape of interventions (docs/file-formats.md, "steering plan"), written by hand so that it is stable and
/// readable from any language instead of Swift's synthesized enum encoding (`{"indices":{"_0":[…]}}`):
///
/// ```json
/// {"hook": "blocks.3.mlp.hook_act", "neurons": [5, 9], "positions": "all", "operation": {"op": "set", "value": -1}}
/// ```
/// `neurons` is `"all"` or a list of column indices; `positions` is `"all"`, `"prompt"`, `"generated"` or a list of
/// positions; `operation.op` is one of zero, set, set_each, scale, add, add_each, clamp, invert, with the fields
/// value, values, factor, coefficient, lo, hi as the operation needs.
extension NeuronSelection {
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let word = try? container.decode(String.self) {
            guard word == "all" else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "neurons: expected \"all\" or a list of indices, not \"\(word)\"")
            }
            self = .all
        } else {
            self = .indices(try container.decode([Int].self))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .all: try container.encode("all")
        case let .indices(list): try container.encode(list)
        }
    }
}

extension PositionSelection {
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let word = try? container.decode(String.self) {
            switch word {
            case "all": self = .all
            case "prompt": self = .prompt
            case "generated": self = .generated
            default:
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "positions: expected all, prompt, generated or a list of positions, not \"\(word)\"")
            }
        } else {
            self = .positions(try container.decode([Int].self))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .all: try container.encode("all")
        case .prompt: try container.encode("prompt")
        case .generated: try container.encode("generated")
        case let .positions(list): try container.encode(list)
        }
    }
}

extension Intervention.Operation {
    enum Field: String, CodingKey { case op, value, values, factor, coefficient, lo, hi }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Field.self)
        let op = try c.decode(String.self, forKey: .op)
        switch op {
        case "zero": self = .zero
        case "set": self = .set(try c.decode(Float.self, forKey: .value))
        case "set_each": self = .setEach(try c.decode([Float].self, forKey: .values))
        case "scale": self = .scale(try c.decode(Float.self, forKey: .factor))
        case "add": self = .add(try c.decode(Float.self, forKey: .value))
        case "add_each": self = .addEach(try c.decode([Float].self, forKey: .values), coefficient: try c.decode(Float.self, forKey: .coefficient))
        case "clamp": self = .clamp(lo: try c.decode(Float.self, forKey: .lo), hi: try c.decode(Float.self, forKey: .hi))
        case "invert": self = .invert
        default:
            throw DecodingError.dataCorruptedError(forKey: .op, in: c, debugDescription: "unknown operation \"\(op)\" (zero, set, set_each, scale, add, add_each, clamp, invert)")
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Field.self)
        switch self {
        case .zero: try c.encode("zero", forKey: .op)
        case let .set(v): try c.encode("set", forKey: .op); try c.encode(v, forKey: .value)
        case let .setEach(values): try c.encode("set_each", forKey: .op); try c.encode(values, forKey: .values)
        case let .scale(f): try c.encode("scale", forKey: .op); try c.encode(f, forKey: .factor)
        case let .add(v): try c.encode("add", forKey: .op); try c.encode(v, forKey: .value)
        case let .addEach(values, coefficient):
            try c.encode("add_each", forKey: .op); try c.encode(values, forKey: .values); try c.encode(coefficient, forKey: .coefficient)
        case let .clamp(lo, hi): try c.encode("clamp", forKey: .op); try c.encode(lo, forKey: .lo); try c.encode(hi, forKey: .hi)
        case .invert: try c.encode("invert", forKey: .op)
        }
    }
}
