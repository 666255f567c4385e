use nncost::prelude::*;

network! {
    pub block Expert { up: Linear::new(16), down: Linear::new(8) }

    #[input(3, 8)]
    pub model Typo {
        mlp: moe(experts = 4, topk = 2) { gate: Linear::new(4), experts: Expert },
    }

    #[input(3, 8)]
    pub model Missing {
        mlp: moe(experts = 4) { gate: Linear::new(4), experts: Expert },
    }

    #[input(3, 8)]
    pub model UnknownPart {
        mlp: moe(experts = 4, top_k = 2) {
            gate: Linear::new(4),
            experts: Expert,
            shared_expret: Expert,
        },
    }

    #[input(3, 8)]
    pub model NoRouter {
        mlp: moe(experts = 4, top_k = 2) { experts: Expert },
    }

    #[input(3, 8)]
    pub model GateAlone {
        mlp: moe(experts = 4, top_k = 2) {
            gate: Linear::new(4),
            experts: Expert,
            shared_expert_gate: Linear::new(1),
        },
    }

    #[input(3, 8)]
    pub model TwoRouters {
        mlp: moe(experts = 4, top_k = 2) {
            gate: Linear::new(4),
            router: Linear::new(4),
            experts: Expert,
        },
    }
}

fn main() {}
