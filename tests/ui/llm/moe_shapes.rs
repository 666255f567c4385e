use nncost::prelude::*;

network! {
    pub block Expert { up: Linear::new(16), down: Linear::new(8) }

    #[input(3, 8)]
    pub model RouterWidth {
        mlp: moe(experts = 4, top_k = 2) { gate: Linear::new(8), experts: Expert },
    }

    #[input(3, 8)]
    pub model TooMany {
        mlp: moe(experts = 4, top_k = 5) { gate: Linear::new(4), experts: Expert },
    }

    #[input(3, 8)]
    pub model WideExpert {
        mlp: moe(experts = 4, top_k = 2) {
            gate: Linear::new(4),
            experts: Expert,
            shared_expert: Linear::new(16),
        },
    }
}

fn main() {}
