extension ModelConfig {
    /// The configuration keys whose requested behaviour the forward does not run yet, with the value asked
    /// for. Loading refuses a configuration that needs any of them, naming the key, so a model that loads is
    /// never run with a feature silently dropped. (The forward's owner removes an entry when it lands.)
    ///
    /// ```swift
    /// let missing = config.unsupportedFeatures()   // [("mlp_bias", "true")]
    /// ```
    public func unsupportedFeatures() -> [(key: String, value: String)] {
        var missing: [(key: String, value: String)] = []
        if attentionOutputBias { missing.append(("attention_bias", "true (bias on o_proj)")) }
        if mlpBias { missing.append(("mlp_bias", "true")) }
        if let cap = attentionLogitSoftcap { missing.append(("attn_logit_softcapping", "\(cap)")) }
        if let cap = finalLogitSoftcap { missing.append(("final_logit_softcapping", "\(cap)")) }
        if let scale = logitScale { missing.append(("logit_scale", "\(scale)")) }
        return missing
    }

    /// Throws `ModelError.configValue` for the first feature the forward does not run.
    func requireForwardSupport(source: String) throws {
        if let (key, value) = unsupportedFeatures().first {
            throw ModelError.configValue(file: source, key: key, value: value,
                                         expected: "a setting lna's forward runs for \(architecture) (not implemented yet)")
        }
    }
}
